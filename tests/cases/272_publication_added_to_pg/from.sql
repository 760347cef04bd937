CREATE TABLE profiles (id uuid PRIMARY KEY, username text NOT NULL);
