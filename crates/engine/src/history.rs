//! A workspace's order history held in memory, column by column, grouped by user and ascending
//! by day within each user: what the analytics that look at orders (RFM as of a past date,
//! transitions, evolution, purchase activity, segment metrics over a period) read instead of
//! scanning the orders table with SQL for every request.
//!
//! One history is built per workspace from one sequential pass over the orders table and kept
//! by the store (`db::Db::in_memory`) until the workspace's data version moves (every import and every user
//! deletion moves it: see [`db::settings::data_changed`]). The version is read before the
//! orders, so a history is never older than the version it is filed under; at worst a change
//! that commits during the pass is read now and built again on the next request.
//!
//! Conventions are those of `domain::rfm::aggregate` and the SQL it replaces: an order belongs
//! to the UTC day of `ordered_at`; amounts are minor units, refunds negative; a purchase is an
//! order with a positive amount; sums saturate.

use std::collections::HashMap;
use std::ops::Range;

use chrono::{Datelike, NaiveDate, Weekday};
use diesel::sql_types::{BigInt, Nullable, Text};
use domain::money::Minor;
use domain::rfm::RfmInput;

use db::sql::{Dialect, Param, Query};
use db::sql::{date_of_day, day_number};
use db::{DbConn, Result};

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PurchaseActivity {
    pub purchases: i64,
    pub buyers: i64,
    /// Sum of all amounts, refunds netted.
    pub revenue: Minor,
    pub refunds: i64,
    /// Sum of refund amounts (negative).
    pub refunded: Minor,
    /// Items of the purchases that have a quantity, and how many purchases have one.
    pub items: i64,
    pub purchases_with_quantity: i64,
    /// Gross − paid over purchases with a gross amount, and their gross.
    pub discount: Minor,
    pub gross: Minor,
    /// (`YYYY-MM`, purchases, revenue) per month with orders, ascending.
    pub by_month: Vec<(String, i64, Minor)>,
}

/// Orders read per statement while building.
const BLOCK_ORDERS: i64 = 200_000;

/// A missing gross amount or quantity in their columns.
const NONE: i64 = i64::MIN;

#[derive(Debug, Default)]
pub struct OrderHistory {
    version: i64,
    /// Users with at least one order, ascending.
    users: Vec<i64>,
    /// The orders of `users[i]` are `starts[i]..starts[i + 1]`.
    starts: Vec<usize>,
    /// Per order, in user then day order: its day (days since 1970-01-01), amounts, quantity
    /// and labels.
    days: Vec<i32>,
    amounts: Vec<Minor>,
    gross: Vec<Minor>,
    quantities: Vec<i64>,
    channels: Vec<u32>,
    stores: Vec<u32>,
    /// The month (`year × 12 + month − 1`) of each day from `first_day` to the last order's.
    first_day: i32,
    months: Vec<i32>,
    /// Label texts by code; code 0 is "none".
    channel_names: Labels,
    store_names: Labels,
}

/// A dictionary of label texts (channel, store) to codes from 1; code 0 is "none".
#[derive(Debug, Default)]
struct Labels {
    codes: HashMap<String, u32>,
}

impl Labels {
    fn code(&mut self, name: Option<String>) -> u32 {
        let Some(name) = name else { return 0 };
        let next = u32::try_from(self.codes.len() + 1).unwrap_or(u32::MAX);
        *self.codes.entry(name).or_insert(next)
    }

    /// The code of `name`; `None` when no order has it.
    fn find(&self, name: &str) -> Option<u32> {
        self.codes.get(name).copied()
    }
}

/// RFM inputs as columns, ascending by user id (see [`OrderHistory::rfm_columns`]).
#[derive(Debug, Default)]
pub struct RfmColumns {
    pub ids: Vec<i64>,
    pub recency: Vec<i64>,
    pub frequency: Vec<i64>,
    pub monetary: Vec<Minor>,
}

/// Which orders a purchase-activity pass counts, beside the users it covers.
#[derive(Debug, Clone, Copy, Default)]
pub struct OrderFilter<'a> {
    /// First and last day included.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub channel: Option<&'a str>,
    pub store: Option<&'a str>,
}

/// The days-since-1970 number of a date.
pub(crate) fn day_of(date: NaiveDate) -> i32 {
    (date - NaiveDate::default()).num_days().try_into().unwrap_or(if date < NaiveDate::default() {
        i32::MIN
    } else {
        i32::MAX
    })
}

/// The weekday of a day number, Monday = 0 (1970-01-01 was a Thursday).
fn weekday_of_day(day: i32) -> usize {
    (i64::from(day) + 3).rem_euclid(7) as usize
}

fn month_of_day(day: i32) -> i32 {
    date_of_day(i64::from(day)).map_or(0, |d| d.year() * 12 + d.month0() as i32)
}

impl OrderHistory {
    /// Reads the workspace's orders, filed under `version` (read by the caller before).
    pub fn build(conn: &mut DbConn, workspace_id: i64, version: i64) -> Result<OrderHistory> {
        type Row = (i64, Option<i64>, i64, Option<i64>, Option<i64>, Option<String>, Option<String>);
        type RowSql =
            (BigInt, Nullable<BigInt>, BigInt, Nullable<BigInt>, Nullable<BigInt>, Nullable<Text>, Nullable<Text>);
        let dialect = Dialect::of(conn);
        let span = Query::new("SELECT MIN(id), MAX(id) FROM orders");
        let (Some(first), Some(last)) = span
            .load_typed::<(Nullable<BigInt>, Nullable<BigInt>), (Option<i64>, Option<i64>)>(conn)?
            .first()
            .copied()
            .unwrap_or_default()
        else {
            return Ok(OrderHistory { version, starts: vec![0], ..OrderHistory::default() });
        };

        // Read in table order (a sequential pass), one block of ids a statement.
        let mut user_of: Vec<i64> = Vec::new();
        let mut raw = OrderHistory { version, ..OrderHistory::default() };
        let select = format!(
            "SELECT user_id, {}, amount, gross_amount, quantity, channel, store FROM orders WHERE id >= ",
            day_number(dialect, "ordered_at")
        );
        let mut start = first;
        while start <= last {
            let end = start.saturating_add(BLOCK_ORDERS);
            let mut q = Query::new(&select);
            q.bind(Param::I64(Some(start))).push(" AND id < ").bind(Param::I64(Some(end)));
            // `+workspace_id` keeps SQLite's planner on the id range rather than the
            // (workspace, order id) index, which would read the whole workspace per block.
            q.push(&dialect.and_unindexed("workspace_id")).bind(Param::I64(Some(workspace_id)));
            for (user, day, amount, gross, quantity, channel, store) in q.load_typed::<RowSql, Row>(conn)? {
                let day = day.and_then(|d| i32::try_from(d).ok()).unwrap_or(0);
                user_of.push(user);
                raw.days.push(day);
                raw.amounts.push(amount);
                raw.gross.push(gross.unwrap_or(NONE));
                raw.quantities.push(quantity.unwrap_or(NONE));
                raw.channels.push(raw.channel_names.code(channel));
                raw.stores.push(raw.store_names.code(store));
            }
            start = end;
        }
        Ok(raw.grouped(user_of))
    }

    /// These columns (in any order, `user_of` the user of each order) put in user then day
    /// order, with the user index built.
    fn grouped(mut self, user_of: Vec<i64>) -> OrderHistory {
        let n = user_of.len();
        let key = |i: usize| (user_of[i], self.days[i]);
        let sorted = (1..n).all(|i| key(i - 1) <= key(i));
        if !sorted {
            let mut order: Vec<usize> = (0..n).collect();
            order.sort_by_key(|&i| (user_of[i], self.days[i], i));
            fn gather<T: Copy>(column: &mut Vec<T>, order: &[usize]) {
                *column = order.iter().map(|&i| column[i]).collect();
            }
            gather(&mut self.days, &order);
            gather(&mut self.amounts, &order);
            gather(&mut self.gross, &order);
            gather(&mut self.quantities, &order);
            gather(&mut self.channels, &order);
            gather(&mut self.stores, &order);
            let users: Vec<i64> = order.iter().map(|&i| user_of[i]).collect();
            return self.indexed(&users);
        }
        self.indexed(&user_of)
    }

    fn indexed(mut self, user_of: &[i64]) -> OrderHistory {
        self.starts.clear();
        for (i, &user) in user_of.iter().enumerate() {
            if self.users.last() != Some(&user) {
                self.users.push(user);
                self.starts.push(i);
            }
        }
        self.starts.push(user_of.len());
        if let (Some(&first), Some(&last)) = (self.days.iter().min(), self.days.iter().max()) {
            self.first_day = first;
            self.months = (first..=last).map(month_of_day).collect();
        }
        self
    }

    /// The data version this history was read at.
    pub fn version(&self) -> i64 {
        self.version
    }

    pub fn order_count(&self) -> usize {
        self.days.len()
    }

    /// Approximate bytes held.
    pub fn heap_bytes(&self) -> usize {
        self.days.len() * (4 + 8 + 8 + 8 + 4 + 4) + self.users.len() * 16 + self.months.len() * 4
    }

    /// The orders of one user (an empty range when none).
    pub fn orders_of(&self, user_id: i64) -> Range<usize> {
        match self.users.binary_search(&user_id) {
            Ok(i) => self.starts[i]..self.starts[i + 1],
            Err(_) => 0..0,
        }
    }

    /// [`OrderHistory::orders_of`] for ascending user ids, walking the users once instead of
    /// searching for each: each call asks for an id no smaller than the one before.
    pub fn orders_walker(&self) -> impl FnMut(i64) -> Range<usize> + '_ {
        let mut k = 0;
        move |user_id| {
            while self.users.get(k).is_some_and(|&user| user < user_id) {
                k += 1;
            }
            match self.users.get(k) {
                Some(&user) if user == user_id => self.starts[k]..self.starts[k + 1],
                _ => 0..0,
            }
        }
    }

    /// The orders of `range` on days `from..=to` (inclusive bounds; `None` open).
    fn days_within(&self, range: Range<usize>, from: Option<i32>, to: Option<i32>) -> Range<usize> {
        let days = &self.days[range.clone()];
        let lo = from.map_or(0, |f| days.partition_point(|&d| d < f));
        let hi = to.map_or(days.len(), |t| days.partition_point(|&d| d <= t));
        range.start + lo..range.start + hi.max(lo)
    }

    /// (purchases, revenue with refunds netted) of `range` on days `from..=to`.
    pub fn sums(&self, range: Range<usize>, from: Option<NaiveDate>, to: Option<NaiveDate>) -> (i64, Minor) {
        let within = self.days_within(range, from.map(day_of), to.map(day_of));
        let mut purchases = 0;
        let mut revenue: Minor = 0;
        for &amount in &self.amounts[within] {
            purchases += i64::from(amount > 0);
            revenue = revenue.saturating_add(amount);
        }
        (purchases, revenue)
    }

    /// The weekday of `range`'s orders with the most purchases (ties: the earliest from Monday);
    /// `None` without a purchase. Counted one by one, so exact for any number of orders.
    pub fn preferred_day(&self, range: Range<usize>) -> Option<Weekday> {
        let mut counts = [0usize; 7];
        for k in range {
            if self.amounts[k] > 0 {
                counts[weekday_of_day(self.days[k])] += 1;
            }
        }
        let best = (0..7).fold(0, |best, d| if counts[d] > counts[best] { d } else { best });
        (counts[best] > 0).then(|| Weekday::try_from(best as u8).expect("an index below 7"))
    }

    /// RFM inputs as of `as_of` (its whole day included), counting only the `window_days` days
    /// up to it when set, of every user with a purchase in range, ascending by user id.
    pub fn rfm_inputs(&self, as_of: NaiveDate, window_days: Option<u32>) -> Vec<(i64, RfmInput)> {
        let mut out = Vec::with_capacity(self.users.len());
        self.each_rfm_input(as_of, window_days, |user, last_day, frequency, monetary| {
            if let Some(last_purchase) = date_of_day(i64::from(last_day)) {
                out.push((user, RfmInput { last_purchase, frequency, monetary }));
            }
        });
        out
    }

    /// [`OrderHistory::rfm_inputs`] as columns: ids, recency in days, frequency, monetary.
    pub fn rfm_columns(&self, as_of: NaiveDate, window_days: Option<u32>) -> RfmColumns {
        let to = day_of(as_of);
        let n = self.users.len();
        let mut out = RfmColumns {
            ids: Vec::with_capacity(n),
            recency: Vec::with_capacity(n),
            frequency: Vec::with_capacity(n),
            monetary: Vec::with_capacity(n),
        };
        self.each_rfm_input(as_of, window_days, |user, last_day, frequency, monetary| {
            out.ids.push(user);
            out.recency.push(i64::from(to) - i64::from(last_day));
            out.frequency.push(frequency);
            out.monetary.push(monetary);
        });
        out
    }

    /// Calls `f(user, day of the last purchase, frequency, monetary)` for every user with a
    /// purchase in range as of `as_of` (see [`OrderHistory::rfm_inputs`]), ascending by user id.
    fn each_rfm_input(&self, as_of: NaiveDate, window_days: Option<u32>, mut f: impl FnMut(i64, i32, i64, Minor)) {
        let to = day_of(as_of);
        let from = window_days.map(|days| to.saturating_sub(i32::try_from(days).unwrap_or(i32::MAX)) + 1);
        for (i, &user) in self.users.iter().enumerate() {
            let within = self.days_within(self.starts[i]..self.starts[i + 1], from, Some(to));
            let mut frequency = 0;
            let mut monetary: Minor = 0;
            let mut last = None;
            for k in within {
                let amount = self.amounts[k];
                monetary = monetary.saturating_add(amount);
                if amount > 0 {
                    frequency += 1;
                    last = Some(self.days[k]);
                }
            }
            if let Some(last) = last {
                f(user, last, frequency, monetary);
            }
        }
    }

    /// Purchase activity of the orders that pass `filter`, of the users in `users` (ascending
    /// ids; `None`: every user).
    pub fn purchases(&self, users: Option<&[i64]>, filter: OrderFilter<'_>) -> PurchaseActivity {
        let mut out = PurchaseActivity::default();
        let label = |labels: &Labels, name: Option<&str>| match name {
            None => Some(None),
            Some(name) => labels.find(name).map(Some),
        };
        // A channel or store no order has matches nothing.
        let (Some(channel), Some(store)) =
            (label(&self.channel_names, filter.channel), label(&self.store_names, filter.store))
        else {
            return out;
        };
        let (from, to) = (filter.from.map(day_of), filter.to.map(day_of));
        // (orders, purchases, revenue) per month of the history, from its first.
        let first_month = self.months.first().copied().unwrap_or(0);
        let month_count = self.months.last().map_or(0, |&last| (last - first_month + 1) as usize);
        let mut months: Vec<(i64, i64, Minor)> = vec![(0, 0, 0); month_count];
        let mut count_user = |range: Range<usize>, out: &mut PurchaseActivity| {
            let mut bought = false;
            for k in self.days_within(range, from, to) {
                if channel.is_some_and(|c| self.channels[k] != c) || store.is_some_and(|s| self.stores[k] != s) {
                    continue;
                }
                let amount = self.amounts[k];
                out.revenue = out.revenue.saturating_add(amount);
                let purchase = amount > 0;
                if purchase {
                    bought = true;
                    out.purchases += 1;
                    if self.quantities[k] != NONE {
                        out.items = out.items.saturating_add(self.quantities[k]);
                        out.purchases_with_quantity += 1;
                    }
                    if self.gross[k] != NONE {
                        out.gross = out.gross.saturating_add(self.gross[k]);
                        out.discount = out.discount.saturating_add(self.gross[k].saturating_sub(amount));
                    }
                } else if amount < 0 {
                    out.refunds += 1;
                    out.refunded = out.refunded.saturating_add(amount);
                }
                let month = &mut months[(self.months[(self.days[k] - self.first_day) as usize] - first_month) as usize];
                month.0 += 1;
                month.1 += i64::from(purchase);
                month.2 = month.2.saturating_add(amount);
            }
            out.buyers += i64::from(bought);
        };
        match users {
            None => {
                for i in 0..self.users.len() {
                    count_user(self.starts[i]..self.starts[i + 1], &mut out);
                }
            }
            Some(ids) => {
                // Both lists ascending: one merge.
                let mut i = 0;
                for &id in ids {
                    while i < self.users.len() && self.users[i] < id {
                        i += 1;
                    }
                    if i < self.users.len() && self.users[i] == id {
                        count_user(self.starts[i]..self.starts[i + 1], &mut out);
                    }
                }
            }
        }
        out.by_month = (first_month..)
            .zip(months)
            .filter(|(_, (orders, _, _))| *orders > 0)
            .map(|(m, (_, n, r))| (format!("{:04}-{:02}", m.div_euclid(12), m.rem_euclid(12) + 1), n, r))
            .collect();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// A history from (user, date, amount) rows in any order.
    fn history(rows: &[(i64, NaiveDate, Minor)]) -> OrderHistory {
        let mut raw = OrderHistory::default();
        let mut users = Vec::new();
        for &(user, day, amount) in rows {
            users.push(user);
            raw.days.push(day_of(day));
            raw.amounts.push(amount);
            raw.gross.push(NONE);
            raw.quantities.push(NONE);
            raw.channels.push(0);
            raw.stores.push(0);
        }
        raw.grouped(users)
    }

    #[test]
    fn the_walker_finds_what_orders_of_finds() {
        let h = history(&[
            (7, date(2024, 1, 2), 5),
            (3, date(2024, 1, 1), 1),
            (7, date(2024, 1, 1), 2),
            (9, date(2024, 1, 3), 4),
        ]);
        let mut walk = h.orders_walker();
        for id in [1, 3, 4, 7, 8, 9, 10] {
            assert_eq!(walk(id), h.orders_of(id), "user {id}");
        }
        let mut sparse = h.orders_walker();
        assert_eq!((sparse(9), sparse(11)), (h.orders_of(9), 0..0));
    }

    #[test]
    fn days_count_from_1970() {
        assert_eq!(day_of(date(1970, 1, 1)), 0);
        assert_eq!(day_of(date(1969, 12, 31)), -1);
        assert_eq!(date_of_day(i64::from(day_of(date(2024, 2, 29)))), Some(date(2024, 2, 29)));
        assert_eq!(month_of_day(day_of(date(2024, 2, 29))), 2024 * 12 + 1);
    }

    #[test]
    fn rows_are_grouped_by_user_then_day() {
        let h = history(&[(7, date(2024, 3, 1), 10), (3, date(2024, 1, 5), 20), (7, date(2024, 1, 1), 30)]);
        assert_eq!(h.users, vec![3, 7]);
        assert_eq!(h.starts, vec![0, 1, 3]);
        assert_eq!(h.amounts, vec![20, 30, 10]);
        assert_eq!(h.orders_of(7), 1..3);
        assert_eq!(h.orders_of(5), 0..0);
    }

    #[test]
    fn rfm_inputs_follow_the_domain_aggregate() {
        let rows = [
            (1, date(2024, 1, 1), 100),
            (1, date(2024, 2, 1), -40),
            (1, date(2024, 3, 1), 50),
            (2, date(2024, 3, 2), -10),
            (3, date(2023, 1, 1), 70),
        ];
        let h = history(&rows);
        for as_of in [date(2024, 1, 31), date(2024, 2, 1), date(2024, 3, 1), date(2024, 6, 1)] {
            for window in [None, Some(1), Some(31), Some(400)] {
                let expected: Vec<(i64, RfmInput)> = [1, 2, 3]
                    .into_iter()
                    .filter_map(|user| {
                        let lines = rows.iter().filter(|r| r.0 == user).map(|r| domain::rfm::OrderLine {
                            ordered_at: r.1.and_hms_opt(12, 0, 0).unwrap(),
                            amount: r.2,
                        });
                        domain::rfm::aggregate(lines, as_of, window).map(|input| (user, input))
                    })
                    .collect();
                assert_eq!(h.rfm_inputs(as_of, window), expected, "as of {as_of}, window {window:?}");
                let columns = h.rfm_columns(as_of, window);
                let as_columns: Vec<(i64, i64, i64, Minor)> = expected
                    .iter()
                    .map(|(id, i)| (*id, (as_of - i.last_purchase).num_days(), i.frequency, i.monetary))
                    .collect();
                let got: Vec<(i64, i64, i64, Minor)> = (0..columns.ids.len())
                    .map(|k| (columns.ids[k], columns.recency[k], columns.frequency[k], columns.monetary[k]))
                    .collect();
                assert_eq!(got, as_columns, "columns as of {as_of}, window {window:?}");
            }
        }
    }
}
