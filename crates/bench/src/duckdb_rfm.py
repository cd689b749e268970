"""The same analytics as segmenta, in DuckDB SQL over the same CSV files, for `bench`.

Usage: python3 duckdb_rfm.py DIR TODAY YEAR_BACK  (dates YYYY-MM-DD). Prints one JSON object
of timings in seconds. Definitions follow docs/rfm.md (RFM, ranked scores, grid) and
docs/metrics.md (segment metrics without the health score, which only segmenta computes).
"""
import json
import sys
import time

import duckdb

folder, today, year_back = sys.argv[1], sys.argv[2], sys.argv[3]
con = duckdb.connect()
timings = {}


def timed(name, sql):
    start = time.perf_counter()
    con.execute(sql)
    timings[name] = time.perf_counter() - start


timed("load", f"""
CREATE TABLE orders AS SELECT customer_id, CAST(left(ordered_at, 10) AS DATE) AS day,
    CAST(round(CAST(amount AS DOUBLE) * 100) AS BIGINT) AS amount
FROM read_csv('{folder}/orders.csv', header = true, all_varchar = true);
CREATE TABLE users AS SELECT * FROM read_csv('{folder}/users.csv', header = true, all_varchar = true);
CREATE TABLE companies AS SELECT external_id, CAST(round(CAST(arr AS DOUBLE) * 100) AS BIGINT) AS arr
FROM read_csv('{folder}/companies.csv', header = true, all_varchar = true);
""")


def rfm(table, as_of):
    return f"""
CREATE OR REPLACE TABLE {table} AS
WITH agg AS (
    SELECT customer_id, MAX(CASE WHEN amount > 0 THEN day END) AS last,
           SUM(CASE WHEN amount > 0 THEN 1 ELSE 0 END) AS f, SUM(amount) AS m
    FROM orders WHERE day <= DATE '{as_of}' GROUP BY customer_id
), v AS (
    SELECT customer_id, DATE '{as_of}' - last AS recency, f, m FROM agg WHERE f > 0
), ranked AS (
    SELECT customer_id, recency, f, m,
        1 + (5 * (RANK() OVER (ORDER BY recency DESC) - 1)) // COUNT(*) OVER () AS r_score,
        1 + (5 * (RANK() OVER (ORDER BY f) - 1)) // COUNT(*) OVER () AS f_score,
        1 + (5 * (RANK() OVER (ORDER BY m) - 1)) // COUNT(*) OVER () AS m_score
    FROM v
), fm AS (SELECT *, (f_score + m_score + 1) // 2 AS fm_score FROM ranked)
SELECT *, CASE
    WHEN r_score = 5 AND fm_score >= 4 THEN 'champion'
    WHEN r_score IN (3, 4) AND fm_score >= 4 THEN 'loyalist'
    WHEN r_score IN (4, 5) AND fm_score IN (2, 3) THEN 'potential_loyalist'
    WHEN r_score IN (4, 5) AND fm_score = 1 THEN 'new'
    WHEN r_score = 3 THEN 'need_attention'
    WHEN fm_score >= 3 THEN 'at_risk'
    WHEN r_score = 2 THEN 'hibernating'
    ELSE 'lost' END AS segment
FROM fm
"""


timed("rfm_today", rfm("rfm_today", today))
timed("rfm_past", rfm("rfm_past", year_back))
timed("transitions", """
CREATE OR REPLACE TABLE transitions AS
SELECT COALESCE(a.segment, 'none') AS s_from, COALESCE(b.segment, 'none') AS s_to, COUNT(*) AS n
FROM users u LEFT JOIN rfm_past a ON a.customer_id = u.external_id
LEFT JOIN rfm_today b ON b.customer_id = u.external_id GROUP BY 1, 2
""")
timed("segments", f"""
CREATE OR REPLACE TABLE segment_metrics AS
WITH members AS (
    SELECT u.external_id, COALESCE(r.segment, 'none') AS segment, u.company_id,
        CASE WHEN (u.email_consent = 'true' AND u.email LIKE '_%@%.%' AND u.email NOT LIKE '%@%@%'
                   AND u.email NOT LIKE '%@.%' AND u.email NOT LIKE '%.' AND NOT regexp_matches(u.email, '\\s'))
              OR (u.sms_consent = 'true' AND coalesce(u.phone, '') <> '') THEN 1 ELSE 0 END AS contact,
        CASE WHEN CAST(u.last_seen_at AS TIMESTAMP) >= now()::TIMESTAMP - INTERVAL 30 DAY THEN 1 ELSE 0 END AS online
    FROM users u LEFT JOIN rfm_today r ON r.customer_id = u.external_id
    WHERE coalesce(u.churned_at, '') = ''
), sums AS (
    SELECT customer_id, SUM(CASE WHEN amount > 0 THEN 1 ELSE 0 END) AS purchases, SUM(amount) AS revenue,
        SUM(CASE WHEN day > DATE '{today}' - 365 THEN amount ELSE 0 END) AS year
    FROM orders WHERE day <= DATE '{today}' GROUP BY customer_id
), per AS (
    SELECT m.*, coalesce(s.purchases, 0) AS purchases, coalesce(s.revenue, 0) AS revenue,
        coalesce(s.year, 0) AS year, c.arr
    FROM members m LEFT JOIN sums s ON s.customer_id = m.external_id
    LEFT JOIN companies c ON c.external_id = m.company_id
), arr AS (
    SELECT segment, SUM(arr) AS arr FROM (SELECT DISTINCT segment, company_id, arr FROM per WHERE arr IS NOT NULL) GROUP BY 1
)
SELECT p.segment, COUNT(*) AS size, SUM(contact) AS contacts, SUM(online) AS online,
    COUNT(*) - SUM(online) AS offline, SUM(purchases) AS purchases, SUM(revenue) AS total_value,
    SUM(CASE WHEN p.arr IS NULL THEN year ELSE 0 END) + coalesce(max(a.arr), 0) AS total_arr,
    SUM(purchases) / COUNT(*) AS aof, SUM(revenue) / nullif(SUM(purchases), 0) AS aov, SUM(revenue) / COUNT(*) AS acv
FROM per p LEFT JOIN arr a ON a.segment = p.segment GROUP BY p.segment
""")
timings["rfm_today_users"] = con.execute("SELECT COUNT(*) FROM rfm_today").fetchone()[0]
timings["rfm_past_users"] = con.execute("SELECT COUNT(*) FROM rfm_past").fetchone()[0]
timings["segment_counts"] = dict(con.execute("SELECT segment, COUNT(*) FROM rfm_today GROUP BY 1").fetchall())
print(json.dumps(timings))
