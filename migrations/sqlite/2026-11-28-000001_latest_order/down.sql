ALTER TABLE settings DROP COLUMN latest_order_at;
