DROP INDEX orders_user_date;
CREATE INDEX orders_user_date ON orders (user_id, ordered_at);
