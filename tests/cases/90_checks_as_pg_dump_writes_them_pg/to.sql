CREATE SEQUENCE public.orders_id_seq;
CREATE TABLE public.orders (
    id bigint DEFAULT nextval('public.orders_id_seq'::regclass) NOT NULL,
    state character varying(10) NOT NULL,
    total numeric(10,0),
    CONSTRAINT orders_state_check CHECK (((state)::text = ANY ((ARRAY['new'::character varying, 'paid'::character varying, 'void'::character varying])::text[]))),
    CONSTRAINT orders_total_check CHECK (((total >= (0)::numeric) AND (total <= (1000)::numeric)))
);
