//! Tests of the condition language.

use super::*;
use proptest::prelude::*;
use serde_json::json;

fn ctx() -> CatalogContext {
    CatalogContext {
        kind: WorkspaceKind::Orders,
        user_properties: vec![
            PropertyDef { name: "plan_tier".into(), ty: FieldType::Text },
            PropertyDef { name: "seats".into(), ty: FieldType::Number },
            PropertyDef { name: "renewal".into(), ty: FieldType::Date },
            PropertyDef { name: "beta".into(), ty: FieldType::Boolean },
        ],
        company_properties: vec![PropertyDef { name: "employees".into(), ty: FieldType::Number }],
        event_names: vec!["login".into(), "report.exported".into()],
        products: vec!["Socks".into(), "Hat".into()],
        segments: vec![SegmentRef { id: 7, name: "VIP".into() }, SegmentRef { id: 9, name: "Trial".into() }],
        values: BTreeMap::from([("user.country".into(), vec!["DE".into(), "FR".into()])]),
    }
}

fn tree(json: Json) -> ConditionGroup {
    serde_json::from_value(json).unwrap()
}

fn cond(field: &str, op: Op, value: Json) -> ConditionGroup {
    ConditionGroup {
        r#match: MatchKind::All,
        conditions: vec![ConditionNode::Condition(Condition { field: field.into(), op, value })],
    }
}

fn now() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2024, 6, 15).unwrap().and_hms_opt(12, 0, 0).unwrap()
}

fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f").unwrap()
}

/// Evaluates one condition against a record with a single field value.
fn check(field: &str, op: Op, value: Json, record: Option<Value>) -> bool {
    let g = cond(field, op, value);
    evaluate(&g, &|_: &FieldRef| record.clone(), now())
}

fn error(tree_json: Json) -> (String, String) {
    let e = validate(&tree(tree_json), &ctx()).unwrap_err();
    (e.path, e.message)
}

// --- shape ---------------------------------------------------------------------------

#[test]
fn parses_and_serialises_the_api_shape() {
    let json = json!({
        "match": "all",
        "conditions": [
            {"field": "user.country", "op": "in", "value": ["DE", "FR"]},
            {"match": "any", "conditions": [
                {"field": "rfm.segment", "op": "eq", "value": "champion"},
                {"field": "user.email_consent", "op": "is_true"}
            ]}
        ]
    });
    let g = tree(json.clone());
    assert_eq!(g.r#match, MatchKind::All);
    assert_eq!(g.condition_count(), 3);
    assert_eq!(g.depth(), 2);
    let ConditionNode::Group(inner) = &g.conditions[1] else { panic!("group expected") };
    assert_eq!(inner.r#match, MatchKind::Any);
    let ConditionNode::Condition(c) = &inner.conditions[1] else { panic!("condition expected") };
    assert_eq!(c.op, Op::IsTrue);
    assert_eq!(c.value, Json::Null);
    assert_eq!(serde_json::to_value(&g).unwrap(), json);
    let paths: Vec<String> = g.walk().into_iter().map(|(p, _)| p).collect();
    assert_eq!(paths, ["conditions[0]", "conditions[1].conditions[0]", "conditions[1].conditions[1]"]);
    assert_eq!(tree(json!({"conditions": []})), ConditionGroup::default());
    for &op in Op::ALL {
        let json = serde_json::to_value(op).unwrap();
        assert_eq!(json, op.key());
        assert_eq!(serde_json::from_value::<Op>(json).unwrap(), op);
    }
}

#[test]
fn parse_errors_name_the_path() {
    let err = |json: Json| ConditionGroup::from_json(&json).unwrap_err();
    let e = err(json!({"match": "all", "conditions": [
        {"field": "user.email", "op": "eq", "value": "a"},
        {"match": "any", "conditions": [{"field": "user.email", "op": "like", "value": "a"}]}
    ]}));
    assert_eq!(e.path, "conditions[1].conditions[0].op");
    assert!(e.message.contains("unknown variant `like`"), "{}", e.message);
    let e = err(json!({"match": "some", "conditions": []}));
    assert_eq!((e.path.as_str(), e.message.as_str()), ("", "match must be \"all\" or \"any\""));
    assert_eq!(e.to_string(), "(root): match must be \"all\" or \"any\"");
    let e = err(json!({"match": "all", "conditions": [{"field": "user.email", "op": "eq", "vaule": 1}]}));
    assert_eq!(e.path, "conditions[0].vaule");
    assert!(e.message.contains("unknown field `vaule`"), "{}", e.message);
    let e = err(json!({"match": "all", "conditions": [{"op": "eq", "value": 1}]}));
    assert!(e.message.contains("missing field `field`"), "{}", e.message);
    let e = err(json!({"match": "all", "conditions": [3]}));
    assert_eq!(e.path, "conditions[0]");
    let e = err(json!({"match": "all", "conditions": {}}));
    assert_eq!(e.message, "conditions must be an array");
    let e = err(json!({"match": "all", "conditions": [], "extra": 1}));
    assert_eq!(e.message, "unknown key \"extra\" in a group");
    let e = serde_json::from_value::<ConditionGroup>(json!({"match": "all", "conditions": [[]]}));
    assert!(e.unwrap_err().to_string().starts_with("conditions[0]: must be a condition"));
}

// --- fields and catalog --------------------------------------------------------------

#[test]
fn field_keys_parse_and_round_trip() {
    let keys = [
        "user.email",
        "user.activity",
        "user.engagement_label",
        "user.preferred_purchase_day",
        "user.properties.plan_tier",
        "user.properties.a.b",
        "company.arr",
        "company.properties.employees",
        "rfm.segment",
        "rfm.m_score",
        "score.fit",
        "behaviour.purchases_total",
        "behaviour.revenue_total",
        "behaviour.first_purchase_at",
        "behaviour.last_purchase_at",
        "behaviour.purchases_last_30d",
        "behaviour.revenue_last_3650d",
        "behaviour.events.login.count_last_1d",
        "behaviour.events.report.exported.count_last_90d",
        "behaviour.product",
        "segment",
    ];
    for key in keys {
        let field = FieldRef::parse(key).unwrap_or_else(|| panic!("{key}"));
        assert_eq!(field.key(), key);
    }
    assert_eq!(
        FieldRef::parse("behaviour.events.report.exported.count_last_90d"),
        Some(FieldRef::Behaviour(Behaviour::EventCountLastDays { name: "report.exported".into(), days: 90 }))
    );
    for bad in [
        "",
        "user",
        "user.",
        "user.nope",
        "user.properties.",
        "company.properties.",
        "rfm.fm_score",
        "score.",
        "segments",
        "behaviour.purchases_last_0d",
        "behaviour.purchases_last_3651d",
        "behaviour.purchases_last_030d",
        "behaviour.purchases_last_+30d",
        "behaviour.purchases_last_30",
        "behaviour.revenue_last_d",
        "behaviour.events..count_last_30d",
        "behaviour.events.login.count_last_30",
        "behaviour.events.login",
        "order.amount",
    ] {
        assert_eq!(FieldRef::parse(bad), None, "{bad:?}");
    }
}

#[test]
fn types_and_operators_follow_the_design() {
    let c = ctx();
    let ty = |key: &str| FieldRef::parse(key).unwrap().ty(&c);
    assert_eq!(ty("user.email"), Some(FieldType::Text));
    assert_eq!(ty("user.last_seen_at"), Some(FieldType::Date));
    assert_eq!(ty("user.sms_consent"), Some(FieldType::Boolean));
    assert_eq!(ty("user.activity"), Some(FieldType::Enum));
    assert_eq!(ty("company.arr"), Some(FieldType::Money));
    assert_eq!(ty("behaviour.revenue_last_90d"), Some(FieldType::Money));
    assert_eq!(ty("behaviour.purchases_last_90d"), Some(FieldType::Number));
    assert_eq!(ty("behaviour.product"), Some(FieldType::Enum));
    assert_eq!(ty("rfm.r_score"), Some(FieldType::Number));
    assert_eq!(ty("score.health"), Some(FieldType::Number));
    assert_eq!(ty("segment"), Some(FieldType::Segment));
    assert_eq!(ty("user.properties.seats"), Some(FieldType::Number));
    assert_eq!(ty("user.properties.unknown"), None);
    assert_eq!(ty("behaviour.events.login.count_last_7d"), Some(FieldType::Number));
    assert_eq!(ty("behaviour.events.logout.count_last_7d"), None);
    assert_eq!(FieldType::Boolean.ops(), [Op::IsTrue, Op::IsFalse]);
    assert!(FieldType::Date.ops().contains(&Op::InLastDays));
    assert!(!FieldType::Money.ops().contains(&Op::Contains));
    assert_eq!(FieldType::Segment.ops(), FieldType::Enum.ops());
    // Every operator belongs to some type.
    for &op in Op::ALL {
        let types = [FieldType::Text, FieldType::Number, FieldType::Date, FieldType::Boolean];
        assert!(types.iter().any(|t| t.ops().contains(&op)), "{op}");
    }
}

#[test]
fn catalog_lists_every_field_kind() {
    let c = ctx();
    let defs = catalog(&c);
    let get = |key: &str| defs.iter().find(|d| d.key == key).unwrap_or_else(|| panic!("{key} missing"));
    for def in &defs {
        let field = FieldRef::parse(&def.key).unwrap_or_else(|| panic!("{}", def.key));
        assert_eq!(field.ty(&c), Some(def.ty), "{}", def.key);
        if let (Some(values), Some(labels)) = (&def.values, &def.value_labels) {
            assert_eq!(values.len(), labels.len());
        }
    }
    let mut keys: Vec<&str> = defs.iter().map(|d| d.key.as_str()).collect();
    let total = keys.len();
    keys.sort_unstable();
    keys.dedup();
    assert_eq!(keys.len(), total, "duplicate keys");
    assert_eq!(get("user.country").values, Some(vec!["DE".into(), "FR".into()]));
    assert_eq!(get("user.country").group, FieldGroup::User);
    assert_eq!(get("user.activity").values.as_ref().unwrap(), &ACTIVITY_VALUES);
    assert_eq!(get("user.engagement_label").values.as_ref().unwrap(), &["high", "medium", "low"]);
    assert_eq!(get("user.preferred_purchase_day").values.as_ref().unwrap().len(), 7);
    assert_eq!(get("company.arr").group, FieldGroup::Company);
    assert_eq!(get("user.properties.seats").group, FieldGroup::Property);
    assert_eq!(get("company.properties.employees").ty, FieldType::Number);
    for days in [30, 90, 365] {
        get(&format!("behaviour.purchases_last_{days}d"));
        get(&format!("behaviour.revenue_last_{days}d"));
        get(&format!("behaviour.events.report.exported.count_last_{days}d"));
    }
    assert_eq!(get("behaviour.purchases_last_30d").label, "Number of orders in the last 30 days");
    assert_eq!(get("behaviour.product").values, Some(vec!["Socks".into(), "Hat".into()]));
    let rfm = get("rfm.segment");
    assert_eq!(rfm.values.as_ref().unwrap()[0], "champion");
    assert_eq!(rfm.value_labels.as_ref().unwrap()[0], "♥︎ Champion");
    assert_eq!(rfm.group, FieldGroup::Score);
    let seg = get("segment");
    assert_eq!(seg.values, Some(vec!["7".into(), "9".into()]));
    assert_eq!(seg.value_labels, Some(vec!["VIP".into(), "Trial".into()]));
    get("score.engagement");
    let json = serde_json::to_value(get("company.arr")).unwrap();
    assert_eq!(json, json!({"key": "company.arr", "label": "ARR", "group": "company", "type": "money"}));
    let donations = CatalogContext { kind: WorkspaceKind::Donations, ..CatalogContext::default() };
    assert!(catalog(&donations).iter().any(|d| d.label == "Number of donations"));
}

// --- validation ----------------------------------------------------------------------

#[test]
fn accepts_valid_trees() {
    let valid = json!({"match": "any", "conditions": [
        {"field": "user.email", "op": "ends_with", "value": "@example.com"},
        {"field": "user.country", "op": "in", "value": ["DE", "XX"]},
        {"field": "user.activity", "op": "ne", "value": "churned"},
        {"field": "user.created_at", "op": "between", "value": ["2024-01-01", "2024-01-01"]},
        {"field": "user.last_seen_at", "op": "after", "value": "2024-05-01T10:00:00+02:00"},
        {"field": "user.churned_at", "op": "is_not_set", "value": null},
        {"field": "user.email_consent", "op": "is_false"},
        {"field": "user.properties.beta", "op": "is_true"},
        {"field": "user.properties.renewal", "op": "in_last_days", "value": 3650},
        {"field": "company.arr", "op": "between", "value": [1000, 1000.5]},
        {"field": "company.properties.employees", "op": "gte", "value": 10},
        {"field": "rfm.segment", "op": "in", "value": ["champion", "loyalist"]},
        {"field": "rfm.r_score", "op": "lte", "value": 2},
        {"field": "score.health", "op": "lt", "value": 40},
        {"field": "behaviour.product", "op": "not_in", "value": ["Socks"]},
        {"field": "behaviour.events.login.count_last_30d", "op": "gt", "value": 0},
        {"field": "segment", "op": "in", "value": [7, 9]},
        {"field": "segment", "op": "ne", "value": 7},
        {"match": "all", "conditions": [
            {"field": "user.properties.plan_tier", "op": "contains", "value": "pro"}
        ]}
    ]});
    assert_eq!(validate(&tree(valid), &ctx()), Ok(()));
    assert_eq!(validate(&ConditionGroup::default(), &ctx()), Ok(()));
}

#[test]
fn rejections_name_the_condition() {
    let one = |field: &str, op: &str, value: Json| {
        error(json!({"match": "all", "conditions": [
            {"field": "user.email", "op": "is_set"},
            {"match": "any", "conditions": [{"field": field, "op": op, "value": value}]}
        ]}))
    };
    let path = "conditions[1].conditions[0]";
    let cases: Vec<(&str, &str, Json, &str)> = vec![
        ("user.nope", "eq", json!("x"), "unknown field \"user.nope\""),
        ("user.properties.nope", "eq", json!("x"), "unknown field \"user.properties.nope\""),
        ("behaviour.events.logout.count_last_30d", "gt", json!(1), "no event named \"logout\""),
        ("user.email", "gt", json!("a"), "operator \"gt\" does not apply to the text field"),
        ("user.email_consent", "eq", json!(true), "does not apply to the boolean field"),
        ("score.fit", "contains", json!("1"), "does not apply to the number field"),
        ("user.created_at", "eq", json!("2024-01-01"), "does not apply to the date field"),
        ("user.email", "eq", json!(1), "value must be a string"),
        ("user.email", "contains", json!(""), "value must not be empty"),
        ("user.email", "in", json!([]), "value must be a non-empty array"),
        ("user.email", "in", json!("a"), "value must be a non-empty array"),
        ("user.email", "in", json!(["a", 1]), "value must be a string"),
        ("score.health", "gt", json!("50"), "value must be a number"),
        ("company.arr", "eq", Json::Null, "value must be a number"),
        ("score.health", "between", json!([1]), "two-element array"),
        ("score.health", "between", json!([5, 1]), "from greater than to"),
        ("user.created_at", "before", json!("2024-13-01"), "must be a date"),
        ("user.created_at", "before", json!("01/02/2024"), "must be a date"),
        ("user.created_at", "between", json!(["2024-02-01", "2024-01-01"]), "from after to"),
        ("user.created_at", "in_last_days", json!(0), "whole number of days from 1 to 3650"),
        ("user.created_at", "in_last_days", json!(3651), "whole number of days"),
        ("user.created_at", "not_in_last_days", json!(1.5), "whole number of days"),
        ("user.created_at", "in_last_days", json!("7"), "whole number of days"),
        ("user.created_at", "is_set", json!(true), "operator \"is_set\" takes no value"),
        ("user.activity", "eq", json!("away"), "\"away\" is not a value of user.activity"),
        ("rfm.segment", "in", json!(["champion", "Champion"]), "is not a value of rfm.segment"),
        ("behaviour.product", "eq", json!("Shoes"), "is not a value of behaviour.product"),
        ("segment", "eq", json!(8), "unknown segment 8"),
        ("segment", "in", json!(["7"]), "segment id"),
    ];
    for (field, op, value, expected) in cases {
        let (p, message) = one(field, op, value.clone());
        assert_eq!(p, path, "{field} {op} {value}");
        assert!(message.contains(expected), "{field} {op} {value}: {message}");
    }
}

#[test]
fn structural_limits() {
    // An empty nested group.
    let (path, message) = error(json!({"match": "all", "conditions": [
        {"field": "user.email", "op": "is_set"},
        {"match": "any", "conditions": []}
    ]}));
    assert_eq!(path, "conditions[1]");
    assert_eq!(message, "a nested group needs at least one condition");
    // Five levels are fine, six are not.
    let leaf = json!({"field": "user.email", "op": "is_set"});
    let nest = |levels: usize| {
        let mut node = json!({"match": "all", "conditions": [leaf.clone()]});
        for _ in 1..levels {
            node = json!({"match": "any", "conditions": [node]});
        }
        tree(node)
    };
    assert_eq!(nest(MAX_DEPTH).depth(), 5);
    assert_eq!(validate(&nest(MAX_DEPTH), &ctx()), Ok(()));
    let e = validate(&nest(MAX_DEPTH + 1), &ctx()).unwrap_err();
    assert_eq!(e.path, "conditions[0].conditions[0].conditions[0].conditions[0].conditions[0]");
    assert_eq!(e.message, "groups nest at most 5 levels deep");
    // 100 conditions are fine, 101 are not.
    let many = |n: usize| ConditionGroup {
        r#match: MatchKind::All,
        conditions: (0..n).map(|_| ConditionNode::Condition(serde_json::from_value(leaf.clone()).unwrap())).collect(),
    };
    assert_eq!(validate(&many(MAX_CONDITIONS), &ctx()), Ok(()));
    let e = validate(&many(MAX_CONDITIONS + 1), &ctx()).unwrap_err();
    assert_eq!((e.path.as_str(), e.message.as_str()), ("", "too many conditions (101, at most 100)"));
    let long: Vec<Json> = (0..=MAX_LIST).map(|i| json!(i.to_string())).collect();
    let (_, message) = error(json!({"match": "all", "conditions": [
        {"field": "user.email", "op": "in", "value": long}
    ]}));
    assert_eq!(message, "value lists at most 1000 items");
}

#[test]
fn referenced_segments_are_collected() {
    let g = tree(json!({"match": "any", "conditions": [
        {"field": "segment", "op": "eq", "value": 9},
        {"field": "user.properties.seats", "op": "eq", "value": 4},
        {"match": "all", "conditions": [
            {"field": "segment", "op": "not_in", "value": [7, 9, 3]}
        ]}
    ]}));
    assert_eq!(referenced_segments(&g), [3, 7, 9]);
    assert!(referenced_segments(&ConditionGroup::default()).is_empty());
}

// --- evaluation ----------------------------------------------------------------------

fn text(s: &str) -> Option<Value> {
    Some(Value::Text(s.into()))
}

fn num(n: f64) -> Option<Value> {
    Some(Value::Number(n))
}

fn date_value(s: &str) -> Option<Value> {
    Some(Value::Date(at(s)))
}

fn list(items: &[&str]) -> Option<Value> {
    Some(Value::List(items.iter().map(|s| s.to_string()).collect()))
}

#[test]
fn text_operators() {
    let f = "user.email";
    assert!(check(f, Op::Eq, json!("Ann@x.io"), text("Ann@x.io")));
    assert!(!check(f, Op::Eq, json!("ann@x.io"), text("Ann@x.io")), "eq is case-sensitive");
    assert!(!check(f, Op::Eq, json!("Ann@x.io"), text("Ann@x.io ")), "no trimming");
    assert!(check(f, Op::Ne, json!("ann@x.io"), text("Ann@x.io")));
    assert!(!check(f, Op::Ne, json!("Ann@x.io"), text("Ann@x.io")));
    assert!(check(f, Op::Contains, json!("ANN@"), text("ann@x.io")));
    assert!(!check(f, Op::Contains, json!("bob"), text("ann@x.io")));
    assert!(check(f, Op::NotContains, json!("bob"), text("ann@x.io")));
    assert!(!check(f, Op::NotContains, json!("X.IO"), text("ann@x.io")));
    assert!(check(f, Op::StartsWith, json!("AN"), text("ann@x.io")));
    assert!(!check(f, Op::StartsWith, json!("x.io"), text("ann@x.io")));
    assert!(check(f, Op::EndsWith, json!("X.Io"), text("ann@x.io")));
    assert!(!check(f, Op::EndsWith, json!("ann"), text("ann@x.io")));
    // Only ASCII letters fold; wildcards are literal.
    assert!(!check(f, Op::Contains, json!("É"), text("café")));
    assert!(check(f, Op::Contains, json!("CAF"), text("café")));
    assert!(!check(f, Op::Contains, json!("a%o"), text("ann@x.io")));
    assert!(check(f, Op::Contains, json!("_"), text("a_b")));
    assert!(!check(f, Op::Contains, json!("_"), text("ab")));
    assert!(check(f, Op::In, json!(["a", "b"]), text("b")));
    assert!(!check(f, Op::In, json!(["a", "b"]), text("B")));
    assert!(check(f, Op::NotIn, json!(["a", "b"]), text("c")));
    assert!(!check(f, Op::NotIn, json!(["a", "b"]), text("a")));
    assert!(check(f, Op::IsSet, Json::Null, text("")), "empty text is set");
    assert!(!check(f, Op::IsNotSet, Json::Null, text("x")));
}

#[test]
fn null_semantics() {
    let cases: [(&str, Op, Json, bool); 21] = [
        ("user.email", Op::Eq, json!("a"), false),
        ("user.email", Op::Ne, json!("a"), true),
        ("user.email", Op::Contains, json!("a"), false),
        ("user.email", Op::NotContains, json!("a"), true),
        ("user.email", Op::StartsWith, json!("a"), false),
        ("user.email", Op::EndsWith, json!("a"), false),
        ("user.email", Op::In, json!(["a"]), false),
        ("user.email", Op::NotIn, json!(["a"]), true),
        ("user.email", Op::IsSet, Json::Null, false),
        ("user.email", Op::IsNotSet, Json::Null, true),
        ("score.health", Op::Gt, json!(1), false),
        ("score.health", Op::Gte, json!(1), false),
        ("score.health", Op::Lt, json!(1), false),
        ("score.health", Op::Lte, json!(1), false),
        ("score.health", Op::Between, json!([0, 100]), false),
        ("user.created_at", Op::Before, json!("2030-01-01"), false),
        ("user.created_at", Op::After, json!("2000-01-01"), false),
        ("user.created_at", Op::InLastDays, json!(30), false),
        ("user.created_at", Op::NotInLastDays, json!(30), true),
        ("user.sms_consent", Op::IsTrue, Json::Null, false),
        ("user.sms_consent", Op::IsFalse, Json::Null, true),
    ];
    for (field, op, value, expected) in cases {
        assert_eq!(check(field, op, value, None), expected, "{field} {op} on NULL");
    }
    // A value of the wrong kind counts as NULL.
    assert!(!check("score.health", Op::Gt, json!(1), text("50")));
    assert!(check("score.health", Op::Ne, json!(1), text("1")));
    assert!(!check("score.health", Op::IsSet, Json::Null, num(f64::NAN)));
}

#[test]
fn number_and_money_operators() {
    let f = "score.health";
    assert!(check(f, Op::Eq, json!(50), num(50.0)));
    assert!(!check(f, Op::Eq, json!(50.5), num(50.0)));
    assert!(check(f, Op::Ne, json!(51), num(50.0)));
    assert!(check(f, Op::Gt, json!(49.9), num(50.0)));
    assert!(!check(f, Op::Gt, json!(50), num(50.0)));
    assert!(check(f, Op::Gte, json!(50), num(50.0)));
    assert!(check(f, Op::Lt, json!(50.1), num(50.0)));
    assert!(!check(f, Op::Lt, json!(50), num(50.0)));
    assert!(check(f, Op::Lte, json!(50), num(50.0)));
    assert!(check(f, Op::Between, json!([50, 60]), num(50.0)), "inclusive low");
    assert!(check(f, Op::Between, json!([40, 50]), num(50.0)), "inclusive high");
    assert!(!check(f, Op::Between, json!([51, 60]), num(50.0)));
    assert!(check(f, Op::IsSet, Json::Null, num(0.0)));
    // Money compares in minor units, rounding the decimal form half away from zero.
    let m = "company.arr";
    assert!(check(m, Op::Eq, json!(0.1 + 0.2), num(0.3)));
    assert!(!check("score.fit", Op::Eq, json!(0.1 + 0.2), num(0.3)));
    assert!(check(m, Op::Eq, json!(12.3), num(1230.0 / 100.0)));
    assert!(check(m, Op::Eq, json!(12.004), num(12.0)));
    assert!(check(m, Op::Gt, json!(12.004), num(12.01)));
    assert!(!check(m, Op::Gt, json!(12.004), num(12.0)));
    assert!(check(m, Op::Between, json!([-5, 12.001]), num(12.0)));
    assert_eq!(money_to_minor(12.345), 1235);
    assert_eq!(money_to_minor(1.005), 101, "1.005 × 100 = 100.49999… in f64");
    assert_eq!(money_to_minor(1e-7), 0);
    assert_eq!(money_to_minor(1e15), 100_000_000_000_000_000);
    assert_eq!(money_to_minor(-12.3), -1230);
    assert!(check(m, Op::Eq, json!(1.005), num(1.01)));
    assert_eq!(money_to_minor(-0.005), -1);
    assert_eq!(money_to_minor(0.125), 13);
    assert!(check("behaviour.revenue_last_30d", Op::Lte, json!(0), num(-3.5)));
}

#[test]
fn date_operators() {
    let f = "user.last_seen_at";
    let v = |s| date_value(s);
    // before: strictly before the day's start (or the instant).
    assert!(check(f, Op::Before, json!("2024-05-01"), v("2024-04-30 23:59:59")));
    assert!(!check(f, Op::Before, json!("2024-05-01"), v("2024-05-01 00:00:00")));
    assert!(check(f, Op::Before, json!("2024-05-01T10:00:00Z"), v("2024-05-01 09:59:59")));
    assert!(!check(f, Op::Before, json!("2024-05-01T10:00:00Z"), v("2024-05-01 10:00:00")));
    // after a day: from the next midnight on; after an instant: strictly later.
    assert!(!check(f, Op::After, json!("2024-05-01"), v("2024-05-01 23:59:59")));
    assert!(check(f, Op::After, json!("2024-05-01"), v("2024-05-02 00:00:00")));
    assert!(!check(f, Op::After, json!("2024-05-01T10:00:00Z"), v("2024-05-01 10:00:00")));
    assert!(check(f, Op::After, json!("2024-05-01T10:00:00Z"), v("2024-05-01 10:00:01")));
    // Offsets convert to UTC; fractions of a second are dropped from condition values.
    assert!(check(f, Op::After, json!("2024-05-01T12:00:00+02:00"), v("2024-05-01 10:00:01")));
    assert!(check(f, Op::After, json!("2024-05-01T10:00:00.900Z"), v("2024-05-01 10:00:00.5")));
    // between: inclusive, whole days.
    let range = json!(["2024-05-01", "2024-05-31"]);
    assert!(check(f, Op::Between, range.clone(), v("2024-05-01 00:00:00")));
    assert!(check(f, Op::Between, range.clone(), v("2024-05-31 23:59:59")));
    assert!(!check(f, Op::Between, range.clone(), v("2024-06-01 00:00:00")));
    assert!(!check(f, Op::Between, range, v("2024-04-30 23:59:59")));
    let instants = json!(["2024-05-01T10:00:00Z", "2024-05-01T11:00:00Z"]);
    assert!(check(f, Op::Between, instants.clone(), v("2024-05-01 11:00:00")));
    assert!(!check(f, Op::Between, instants, v("2024-05-01 11:00:01")));
    // in_last_days N: [now − N days, now]; now is 2024-06-15 12:00.
    assert!(check(f, Op::InLastDays, json!(7), v("2024-06-08 12:00:00")));
    assert!(!check(f, Op::InLastDays, json!(7), v("2024-06-08 11:59:59")));
    assert!(check(f, Op::InLastDays, json!(7), v("2024-06-15 12:00:00")));
    assert!(!check(f, Op::InLastDays, json!(7), v("2024-06-15 12:00:01")), "future");
    assert!(check(f, Op::NotInLastDays, json!(7), v("2024-06-01 00:00:00")));
    assert!(check(f, Op::NotInLastDays, json!(7), v("2024-06-16 00:00:00")));
    assert!(!check(f, Op::NotInLastDays, json!(7), v("2024-06-10 00:00:00")));
    assert!(check(f, Op::IsSet, Json::Null, v("2024-06-10 00:00:00")));
    assert_eq!(
        date_range(Op::NotInLastDays, &json!(1), now()),
        Some(DateRange { lower: Bound::Included(at("2024-06-14 12:00:00")), upper: Bound::Included(now()) })
    );
    assert_eq!(
        date_range(Op::After, &json!("2024-02-29"), now()).unwrap().lower,
        Bound::Included(at("2024-03-01 00:00:00"))
    );
    assert_eq!(date_range(Op::Eq, &json!("2024-02-29"), now()), None);
}

#[test]
fn boolean_enum_list_and_segment_operators() {
    let b = "user.email_consent";
    assert!(check(b, Op::IsTrue, Json::Null, Some(Value::Bool(true))));
    assert!(!check(b, Op::IsTrue, Json::Null, Some(Value::Bool(false))));
    assert!(check(b, Op::IsFalse, Json::Null, Some(Value::Bool(false))));
    assert!(!check(b, Op::IsFalse, Json::Null, Some(Value::Bool(true))));
    let e = "rfm.segment";
    assert!(check(e, Op::Eq, json!("champion"), text("champion")));
    assert!(check(e, Op::Ne, json!("champion"), text("lost")));
    assert!(check(e, Op::In, json!(["lost", "new"]), text("new")));
    assert!(check(e, Op::NotIn, json!(["lost", "new"]), text("champion")));
    assert!(check(e, Op::IsSet, Json::Null, text("lost")));
    let p = "behaviour.product";
    assert!(check(p, Op::Eq, json!("Hat"), list(&["Socks", "Hat"])));
    assert!(!check(p, Op::Eq, json!("hat"), list(&["Socks", "Hat"])));
    assert!(check(p, Op::Ne, json!("Shoes"), list(&["Socks", "Hat"])));
    assert!(!check(p, Op::Ne, json!("Hat"), list(&["Socks", "Hat"])));
    assert!(check(p, Op::In, json!(["Shoes", "Socks"]), list(&["Socks"])));
    assert!(!check(p, Op::In, json!(["Shoes"]), list(&["Socks"])));
    assert!(check(p, Op::NotIn, json!(["Shoes"]), list(&["Socks"])));
    assert!(!check(p, Op::NotIn, json!(["Shoes", "Socks"]), list(&["Socks"])));
    assert!(check(p, Op::NotIn, json!(["Shoes"]), list(&[])));
    assert!(!check(p, Op::IsSet, Json::Null, list(&[])));
    assert!(check(p, Op::IsNotSet, Json::Null, list(&[])));
    assert!(check(p, Op::IsSet, Json::Null, list(&["Hat"])));
    let s = "segment";
    assert!(check(s, Op::Eq, json!(7), list(&["7", "12"])));
    assert!(!check(s, Op::Eq, json!(1), list(&["7", "12"])));
    assert!(check(s, Op::Ne, json!(1), list(&["7", "12"])));
    assert!(check(s, Op::In, json!([1, 12]), list(&["7", "12"])));
    assert!(check(s, Op::NotIn, json!([1, 2]), list(&["7", "12"])));
    assert!(check(s, Op::Ne, json!(7), None));
}

#[test]
fn groups_combine_and_malformed_conditions_match_nobody() {
    let g = tree(json!({"match": "all", "conditions": [
        {"field": "score.health", "op": "gte", "value": 50},
        {"match": "any", "conditions": [
            {"field": "user.country", "op": "eq", "value": "DE"},
            {"field": "user.country", "op": "eq", "value": "FR"}
        ]}
    ]}));
    let record = |health: f64, country: &'static str| {
        move |f: &FieldRef| match f {
            FieldRef::Score(ScoreKind::Health) => num(health),
            FieldRef::User(UserField::Country) => text(country),
            _ => None,
        }
    };
    assert!(evaluate(&g, &record(60.0, "FR"), now()));
    assert!(!evaluate(&g, &record(40.0, "FR"), now()));
    assert!(!evaluate(&g, &record(60.0, "US"), now()));
    let nobody = |_: &FieldRef| None;
    assert!(evaluate(&ConditionGroup::default(), &nobody, now()));
    assert!(evaluate(&ConditionGroup { r#match: MatchKind::Any, conditions: vec![] }, &nobody, now()));
    // Nested empty groups: all = true, any = false.
    let nested = |m: &str| tree(json!({"match": "all", "conditions": [{"match": m, "conditions": []}]}));
    assert!(evaluate(&nested("all"), &nobody, now()));
    assert!(!evaluate(&nested("any"), &nobody, now()));
    // Malformed values and unknown keys match nobody, even negated.
    assert!(!check("score.health", Op::Ne, json!([1]), num(2.0)));
    assert!(!check("score.health", Op::Between, json!([1]), num(2.0)));
    assert!(!check("user.created_at", Op::NotInLastDays, json!(0), None));
    assert!(!check("user.nope", Op::IsNotSet, Json::Null, None));
    assert!(!check("user.email", Op::IsNotSet, json!(1), None));
}

fn record_value() -> impl Strategy<Value = Option<Value>> {
    prop_oneof![
        Just(None),
        "[a-cA-C_%é]{0,4}".prop_map(|s| Some(Value::Text(s))),
        (-3i32..4).prop_map(|n| Some(Value::Number(f64::from(n) / 2.0))),
        (0i64..40 * 24).prop_map(|h| Some(Value::Date(now() - Duration::hours(h) + Duration::hours(48)))),
        any::<bool>().prop_map(|b| Some(Value::Bool(b))),
        prop::collection::vec("[a-c]", 0..3).prop_map(|l| Some(Value::List(l))),
    ]
}

fn condition_value() -> impl Strategy<Value = Json> {
    prop_oneof![
        Just(Json::Null),
        "[a-cA-C]{1,2}".prop_map(Json::from),
        (-3i32..4).prop_map(|n| json!(f64::from(n) / 2.0)),
        prop::collection::vec("[a-c]", 1..3).prop_map(|l| json!(l)),
        (-3i32..4, 0i32..3).prop_map(|(lo, w)| json!([lo, lo + w])),
        (1u32..40).prop_map(Json::from),
        (1u32..30).prop_map(|d| json!(format!("2024-06-{d:02}"))),
        (1u32..30, 1u32..5)
            .prop_map(|(d, w)| json!([format!("2024-05-{d:02}"), format!("2024-06-{:02}", d.min(25) + w)])),
    ]
}

proptest! {
    #[test]
    fn negated_operators_are_the_negation_of_positive_ones(
        value in record_value(),
        operand in condition_value(),
        field in prop::sample::select(vec!["user.email", "score.health", "company.arr",
            "user.created_at", "user.sms_consent", "behaviour.product", "segment"]),
    ) {
        for &op in Op::ALL {
            let (positive, negated) = op.positive();
            if !negated {
                continue;
            }
            let g = cond(field, positive, operand.clone());
            let malformed = Operand::parse(positive, &operand, now()).is_none();
            let p = check(field, positive, operand.clone(), value.clone());
            let n = check(field, op, operand.clone(), value.clone());
            if malformed {
                prop_assert!(!p && !n);
            } else {
                prop_assert_eq!(n, !p, "{} {:?} {:?}", op, operand, value);
            }
            if value.is_none() {
                prop_assert!(!evaluate(&g, &|_: &FieldRef| None, now()));
            }
        }
    }

    #[test]
    fn date_conditions_agree_with_their_range(
        hours_ago in -48i64..24 * 40,
        operand in condition_value(),
        op in prop::sample::select(vec![Op::Before, Op::After, Op::Between, Op::InLastDays]),
    ) {
        let t = now() - Duration::hours(hours_ago);
        let holds = check("user.created_at", op, operand.clone(), Some(Value::Date(t)));
        match date_range(op, &operand, now()) {
            Some(range) => prop_assert_eq!(holds, range.contains(t)),
            None => prop_assert!(!holds),
        }
    }
}
