CREATE TABLE users (
    id integer PRIMARY KEY,
    email text NOT NULL
);

CREATE TRIGGER users_lower_email AFTER INSERT ON users
BEGIN
    UPDATE users SET email = lower(email) WHERE id = NEW.id;
END;
