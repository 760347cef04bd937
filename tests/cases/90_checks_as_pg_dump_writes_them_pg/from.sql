CREATE SEQUENCE public.orders_id_seq;
CREATE TABLE orders (
    id bigint DEFAULT nextval('orders_id_seq'::regclass) NOT NULL,
    state varchar(10) NOT NULL CHECK (state IN ('new', 'paid')),
    total numeric(10) CHECK (total BETWEEN 0 AND 1000)
);
