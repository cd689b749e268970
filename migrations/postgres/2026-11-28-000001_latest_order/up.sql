-- The time of the workspace's latest order, kept by the orders import (never earlier than the
-- latest order; later only if a re-import moved that order back). RFM decides from it whether
-- the users' purchase aggregates are its inputs as of a date, without a pass over the orders.
ALTER TABLE settings ADD COLUMN latest_order_at TIMESTAMP;
UPDATE settings SET latest_order_at = (SELECT MAX(ordered_at) FROM orders WHERE orders.workspace_id = settings.workspace_id);
