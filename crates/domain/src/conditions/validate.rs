//! Validation of a tree against the catalog: each error names its condition's path.

use super::*;

// ---------------------------------------------------------------------------------------
// Validation

pub fn validate(tree: &ConditionGroup, ctx: &CatalogContext) -> Result<(), ConditionError> {
    let count = tree.condition_count();
    if count > MAX_CONDITIONS {
        return Err(ConditionError::new("", format!("too many conditions ({count}, at most {MAX_CONDITIONS})")));
    }
    validate_group(tree, ctx, "", 1)
}

pub(super) fn validate_group(
    group: &ConditionGroup,
    ctx: &CatalogContext,
    path: &str,
    depth: usize,
) -> Result<(), ConditionError> {
    if depth > MAX_DEPTH {
        return Err(ConditionError::new(path, format!("groups nest at most {MAX_DEPTH} levels deep")));
    }
    if depth > 1 && group.conditions.is_empty() {
        return Err(ConditionError::new(path, "a nested group needs at least one condition"));
    }
    for (i, node) in group.conditions.iter().enumerate() {
        let path = child_path(path, i);
        match node {
            ConditionNode::Group(g) => validate_group(g, ctx, &path, depth + 1)?,
            ConditionNode::Condition(c) => {
                validate_condition(c, ctx).map_err(|message| ConditionError { path, message })?
            }
        }
    }
    Ok(())
}

pub(super) fn validate_condition(c: &Condition, ctx: &CatalogContext) -> Result<(), String> {
    let field = FieldRef::parse(&c.field).ok_or_else(|| format!("unknown field {:?}", c.field))?;
    let ty = field.ty(ctx).ok_or_else(|| match &field {
        FieldRef::Behaviour(Behaviour::EventCountLastDays { name, .. }) => {
            format!("unknown field {:?}: no event named {name:?}", c.field)
        }
        _ => format!("unknown field {:?}", c.field),
    })?;
    if !ty.ops().contains(&c.op) {
        let ops: Vec<&str> = ty.ops().iter().map(|op| op.key()).collect();
        return Err(format!(
            "operator {:?} does not apply to the {} field {:?} (use one of: {})",
            c.op.key(),
            ty.key(),
            c.field,
            ops.join(", ")
        ));
    }
    let allowed = field.allowed_values(ctx);
    let check_scalar = |v: &Json| -> Result<(), String> {
        match ty {
            FieldType::Text => string(v).map(drop),
            FieldType::Number | FieldType::Money => number(v).map(drop),
            FieldType::Enum => {
                let s = string(v)?;
                match &allowed {
                    Some(values) if !values.iter().any(|x| x == s) => {
                        Err(format!("{s:?} is not a value of {}; expected one of: {}", c.field, values.join(", ")))
                    }
                    _ => Ok(()),
                }
            }
            FieldType::Segment => {
                let id = v.as_i64().ok_or("value must be a segment id (an integer)")?;
                if ctx.segments.iter().any(|s| s.id == id) { Ok(()) } else { Err(format!("unknown segment {id}")) }
            }
            FieldType::Date | FieldType::Boolean => Err("unexpected value".into()),
        }
    };
    let v = &c.value;
    match c.op {
        op if op.takes_no_value() => {
            if v.is_null() {
                Ok(())
            } else {
                Err(format!("operator {:?} takes no value", op.key()))
            }
        }
        Op::Eq | Op::Ne | Op::Gt | Op::Gte | Op::Lt | Op::Lte => check_scalar(v),
        Op::Contains | Op::NotContains | Op::StartsWith | Op::EndsWith => {
            if string(v)?.is_empty() {
                Err("value must not be empty".into())
            } else {
                Ok(())
            }
        }
        Op::In | Op::NotIn => {
            let items = v.as_array().filter(|items| !items.is_empty()).ok_or("value must be a non-empty array")?;
            if items.len() > MAX_LIST {
                return Err(format!("value lists at most {MAX_LIST} items"));
            }
            items.iter().try_for_each(check_scalar)
        }
        Op::Between => {
            let [lo, hi] = pair(v)?;
            if ty == FieldType::Date {
                let (lo, hi) = (date(lo)?, date(hi)?);
                if lo.start() > hi.start() {
                    return Err("value [from, to] must not have from after to".into());
                }
            } else {
                let (lo, hi) = (number(lo)?, number(hi)?);
                if lo > hi {
                    return Err("value [from, to] must not have from greater than to".into());
                }
            }
            Ok(())
        }
        Op::Before | Op::After => date(v).map(drop),
        Op::InLastDays | Op::NotInLastDays => days(v).map(drop),
        _ => Ok(()),
    }
}

pub(super) fn string(v: &Json) -> Result<&str, String> {
    v.as_str().ok_or_else(|| "value must be a string".to_string())
}

pub(super) fn number(v: &Json) -> Result<f64, String> {
    v.as_f64().ok_or_else(|| "value must be a number".to_string())
}

pub(super) fn pair(v: &Json) -> Result<[&Json; 2], String> {
    match v.as_array().map(Vec::as_slice) {
        Some([lo, hi]) => Ok([lo, hi]),
        _ => Err("value must be a two-element array [from, to]".into()),
    }
}

pub(super) fn date(v: &Json) -> Result<DateValue, String> {
    v.as_str().and_then(DateValue::parse).ok_or_else(|| "value must be a date: \"YYYY-MM-DD\" or RFC 3339".to_string())
}

pub(super) fn days(v: &Json) -> Result<u32, String> {
    v.as_u64()
        .filter(|d| (1..=u64::from(MAX_WINDOW_DAYS)).contains(d))
        .map(|d| d as u32)
        .ok_or_else(|| format!("value must be a whole number of days from 1 to {MAX_WINDOW_DAYS}"))
}

/// The ids of the segments a tree refers to (`segment` conditions), sorted, without
/// duplicates; the caller rejects membership cycles with them.
pub fn referenced_segments(tree: &ConditionGroup) -> Vec<i64> {
    let mut ids: Vec<i64> = tree
        .walk()
        .into_iter()
        .filter(|(_, c)| c.field == "segment")
        .flat_map(|(_, c)| match &c.value {
            Json::Array(items) => items.iter().filter_map(Json::as_i64).collect(),
            v => v.as_i64().into_iter().collect::<Vec<_>>(),
        })
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}
