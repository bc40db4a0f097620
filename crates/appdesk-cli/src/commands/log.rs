//! `appdesk log [APP]`: the activity log, newest first (R10). A deleted app can
//! still be named, so its deletion stays visible.

use super::{Context, Result};
use crate::output;

pub fn show(ctx: &Context, app: Option<&str>, limit: i64) -> Result<String> {
    let entries = ctx.store()?.activity(app, limit)?;
    ctx.render(&entries, |e| output::activity::log(e))
}
