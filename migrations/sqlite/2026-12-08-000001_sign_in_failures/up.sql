-- Failed sign-ins per account (`account:<email>`) and per client address (`address:<ip>`),
-- shared by every replica: past the allowance of a window a key is refused for a while, longer
-- after each further failure (domain::sign_in, docs/security.md).
CREATE TABLE sign_in_failures (
    throttle_key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    since TIMESTAMP NOT NULL,
    blocked_until TIMESTAMP
);
