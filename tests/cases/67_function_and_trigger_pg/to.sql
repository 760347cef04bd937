CREATE TABLE users (
    id integer PRIMARY KEY,
    email text NOT NULL
);

CREATE FUNCTION lower_email() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.email := lower(NEW.email);
    RETURN NEW;
END
$$;
CREATE TRIGGER users_lower_email BEFORE INSERT OR UPDATE ON users
    FOR EACH ROW EXECUTE FUNCTION lower_email();
