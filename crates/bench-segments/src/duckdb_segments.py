"""The benchmark segment's predicate in DuckDB SQL over the same CSV files, for
`bench-segments`.

Usage: python3 duckdb_segments.py DIR NOW RUNS, NOW as `YYYY-MM-DD HH:MM:SS` (UTC). DIR holds
the demo files and `scores.csv` (external_id, health_score), which only segmenta computes.
Prints one JSON object: load seconds, the seconds of each run of the query, and its count.

The SQL follows the compiler's semantics for these conditions: NULLs fail positive
conditions, behaviour windows are [NOW - N days, NOW], money compares in minor units.
"""
import json
import sys
import time

import duckdb

folder, now, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
con = duckdb.connect()


def ts(column):
    return f"CAST(replace(replace(nullif({column}, ''), 'T', ' '), 'Z', '') AS TIMESTAMP)"


def minor(column):
    return f"CAST(CAST(nullif({column}, '') AS DECIMAL(18, 2)) * 100 AS BIGINT)"


start = time.perf_counter()
con.execute(f"""
CREATE TABLE companies AS SELECT external_id, plan, {minor('arr')} AS arr
FROM read_csv('{folder}/companies.csv', header = true, all_varchar = true);
CREATE TABLE users AS SELECT external_id, company_id, country,
    {ts('last_seen_at')} AS last_seen_at, {ts('churned_at')} AS churned_at,
    lower(email_consent) IN ('true', 'yes', '1') AS email_consent
FROM read_csv('{folder}/users.csv', header = true, all_varchar = true);
CREATE TABLE orders AS SELECT customer_id, {ts('ordered_at')} AS ordered_at, {minor('amount')} AS amount
FROM read_csv('{folder}/orders.csv', header = true, all_varchar = true);
CREATE TABLE events AS SELECT customer_id, name, {ts('occurred_at')} AS occurred_at
FROM read_csv('{folder}/events.csv', header = true, all_varchar = true);
CREATE TABLE scores AS SELECT external_id, CAST(nullif(health_score, '') AS INTEGER) AS health_score
FROM read_csv('{folder}/scores.csv', header = true, all_varchar = true);
""")
load = time.perf_counter() - start

# The ten conditions of the benchmark segment (see bench-segments' main.rs).
QUERY = f"""
WITH now AS (SELECT TIMESTAMP '{now}' AS t),
recent_buyers AS (
    SELECT DISTINCT customer_id FROM orders, now
    WHERE amount > 0 AND ordered_at >= t - INTERVAL 90 DAY AND ordered_at <= t
),
revenue AS (SELECT customer_id, SUM(amount) AS total FROM orders GROUP BY customer_id),
logins AS (
    SELECT customer_id, COUNT(*) AS n FROM events, now
    WHERE name = 'login' AND occurred_at >= t - INTERVAL 30 DAY AND occurred_at <= t
    GROUP BY customer_id
)
SELECT COUNT(*) FROM users u
JOIN now ON TRUE
LEFT JOIN companies c ON c.external_id = u.company_id
LEFT JOIN scores s ON s.external_id = u.external_id
LEFT JOIN revenue r ON r.customer_id = u.external_id
LEFT JOIN logins l ON l.customer_id = u.external_id
WHERE u.country IN ('DE', 'FR', 'NL', 'GB')
  AND u.churned_at IS NULL
  AND u.email_consent
  AND c.plan IN ('pro', 'enterprise')
  AND c.arr >= 1000000
  AND u.external_id IN (SELECT customer_id FROM recent_buyers)
  AND COALESCE(r.total, 0) >= 10000
  AND s.health_score >= 30
  AND ((u.last_seen_at >= t - INTERVAL 14 DAY AND u.last_seen_at <= t) OR COALESCE(l.n, 0) >= 5)
"""

times = []
count = None
for _ in range(runs):
    start = time.perf_counter()
    count = con.execute(QUERY).fetchone()[0]
    times.append(time.perf_counter() - start)

print(json.dumps({"load": load, "query": times, "count": count}))
