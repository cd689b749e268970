//! Segment events (docs/segment-events.md): a user entering or exiting a segment, what caused
//! it, and a segment's size over time computed back from its events.

use chrono::NaiveDate;

use crate::import::ImportKind;
use crate::rfm::RfmSegment;

/// Which way a user crossed a segment's boundary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventType {
    Entered,
    Exited,
}

impl EventType {
    pub fn key(self) -> &'static str {
        match self {
            EventType::Entered => "entered",
            EventType::Exited => "exited",
        }
    }

    pub fn parse(s: &str) -> Option<EventType> {
        match s {
            "entered" => Some(EventType::Entered),
            "exited" => Some(EventType::Exited),
            _ => None,
        }
    }
}

/// What changed membership. Stored and sent as text: `save`, `refresh`, `import:<kind>`,
/// `settings`, `schedule`, `user_deleted`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    /// A custom segment was created or its definition saved.
    Save,
    /// An operator or a client asked for a refresh.
    Refresh,
    /// An import of this kind, and the rescoring and refresh after it.
    Import(ImportKind),
    /// A change of the workspace's settings (RFM, scores, activity window) and the rescoring
    /// after it.
    Settings,
    /// The scheduled rescoring or refresh (recency follows the calendar).
    Schedule,
    /// A user was deleted: their memberships end.
    UserDeleted,
}

impl Trigger {
    pub fn key(self) -> String {
        match self {
            Trigger::Save => "save".into(),
            Trigger::Refresh => "refresh".into(),
            Trigger::Import(kind) => format!("import:{}", kind.key()),
            Trigger::Settings => "settings".into(),
            Trigger::Schedule => "schedule".into(),
            Trigger::UserDeleted => "user_deleted".into(),
        }
    }

    pub fn parse(s: &str) -> Option<Trigger> {
        Some(match s {
            "save" => Trigger::Save,
            "refresh" => Trigger::Refresh,
            "settings" => Trigger::Settings,
            "schedule" => Trigger::Schedule,
            "user_deleted" => Trigger::UserDeleted,
            other => Trigger::Import(ImportKind::parse(other.strip_prefix("import:")?)?),
        })
    }
}

/// A segment as events name it: a custom segment by its (positive) id, or one of the eight RFM
/// segments by [`RfmSegment::id`] (−1 … −8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SegmentRef {
    Custom(i64),
    Rfm(RfmSegment),
}

impl SegmentRef {
    /// The segment of an id as the API takes it; `None` for 0 and for negative ids that are no
    /// RFM segment's.
    pub fn of_id(id: i64) -> Option<SegmentRef> {
        match id {
            1.. => Some(SegmentRef::Custom(id)),
            _ => RfmSegment::of_id(id).map(SegmentRef::Rfm),
        }
    }

    pub fn id(self) -> i64 {
        match self {
            SegmentRef::Custom(id) => id,
            SegmentRef::Rfm(segment) => segment.id(),
        }
    }
}

/// One day of a segment's history: members at the end of the day, and the entries and exits
/// of the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HistoryPoint {
    pub date: NaiveDate,
    pub size: i64,
    pub entered: i64,
    pub exited: i64,
}

/// The segment's history from `from` to `to` (both included, one point a day), from its
/// member count now and its entries and exits per day (`changes`: any order, days after `to`
/// included, as they unwind the count back to `to`). The last point's size is `current` when
/// `to` is today or later.
pub fn size_history(
    current: i64,
    from: NaiveDate,
    to: NaiveDate,
    changes: &[(NaiveDate, i64, i64)],
) -> Vec<HistoryPoint> {
    if to < from {
        return Vec::new();
    }
    let net_after = |day: NaiveDate| -> i64 {
        changes.iter().filter(|(d, ..)| *d > day).map(|(_, entered, exited)| entered - exited).sum()
    };
    let mut size = current - net_after(to);
    let mut points = Vec::with_capacity(((to - from).num_days() + 1) as usize);
    let mut day = to;
    loop {
        let (entered, exited) = changes
            .iter()
            .filter(|(d, ..)| *d == day)
            .fold((0, 0), |(e, x), (_, entered, exited)| (e + entered, x + exited));
        points.push(HistoryPoint { date: day, size, entered, exited });
        size -= entered - exited;
        if day == from {
            break;
        }
        day = day.pred_opt().expect("a date after `from` has a day before it");
    }
    points.reverse();
    points
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, d).unwrap()
    }

    #[test]
    fn triggers_and_types_round_trip() {
        for trigger in [
            Trigger::Save,
            Trigger::Refresh,
            Trigger::Import(ImportKind::Orders),
            Trigger::Import(ImportKind::Users),
            Trigger::Settings,
            Trigger::Schedule,
            Trigger::UserDeleted,
        ] {
            assert_eq!(Trigger::parse(&trigger.key()), Some(trigger));
        }
        assert_eq!(Trigger::parse("import:nothing"), None);
        assert_eq!(Trigger::parse("import"), None);
        for t in [EventType::Entered, EventType::Exited] {
            assert_eq!(EventType::parse(t.key()), Some(t));
        }
    }

    #[test]
    fn segment_ids_name_custom_and_rfm_segments() {
        assert_eq!(SegmentRef::of_id(7), Some(SegmentRef::Custom(7)));
        assert_eq!(SegmentRef::of_id(0), None);
        assert_eq!(SegmentRef::of_id(-9), None);
        for segment in RfmSegment::ALL {
            assert!((-8..=-1).contains(&segment.id()));
            assert_eq!(SegmentRef::of_id(segment.id()), Some(SegmentRef::Rfm(segment)));
        }
        assert_eq!(RfmSegment::Champion.id(), -1);
        assert_eq!(RfmSegment::Lost.id(), -8);
    }

    #[test]
    fn history_unwinds_the_current_size_through_the_changes() {
        // day 2: 5 in; day 4: 2 in, 1 out; day 6 (after the range): 3 out
        let changes = [(day(2), 5, 0), (day(4), 2, 1), (day(6), 0, 3)];
        let points = size_history(3, day(1), day(5), &changes);
        let sizes: Vec<i64> = points.iter().map(|p| p.size).collect();
        assert_eq!(sizes, [0, 5, 5, 6, 6]);
        assert_eq!(points[1], HistoryPoint { date: day(2), size: 5, entered: 5, exited: 0 });
        assert_eq!(points[3], HistoryPoint { date: day(4), size: 6, entered: 2, exited: 1 });
        let today = size_history(3, day(5), day(6), &changes);
        assert_eq!(today.last().unwrap().size, 3, "the last point is the size now");
        assert!(size_history(3, day(5), day(4), &changes).is_empty());
    }
}
