//! The schemas of every wire type, by the component name the document gives
//! them: what the portal's OpenAPI document must hold for them, so a test
//! there can check that its components come from here and nowhere else.

use utoipa::ToSchema;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::Schema;

use crate::*;

/// `(name, schema)` of each wire type and of the types it refers to.
pub fn schemas() -> Vec<(String, RefOr<Schema>)> {
    let mut all = Vec::new();
    add::<App>(&mut all);
    add::<AppAsSeen>(&mut all);
    add::<TenantAdminApp>(&mut all);
    add::<TenantAdminTenant>(&mut all);
    add::<TenantAdminConnection>(&mut all);
    add::<Notes>(&mut all);
    add::<NewUpgradeRequest>(&mut all);
    add::<UpgradeRequest>(&mut all);
    add::<AppList>(&mut all);
    add::<Deleted>(&mut all);
    add::<HistoryEntry>(&mut all);
    add::<Tenant>(&mut all);
    add::<VersionRecord>(&mut all);
    add::<Action>(&mut all);
    add::<Connection>(&mut all);
    add::<Connect>(&mut all);
    add::<CreateApp>(&mut all);
    add::<PatchApp>(&mut all);
    add::<ScopeEdits>(&mut all);
    add::<TenantEdits>(&mut all);
    add::<TenantInput>(&mut all);
    add::<ErrorBody>(&mut all);
    add::<Problem>(&mut all);
    add::<ChangesPage>(&mut all);
    add::<Change>(&mut all);
    add::<AppChange>(&mut all);
    add::<ConnectionChange>(&mut all);
    add::<ConnectionState>(&mut all);
    add::<ConnectionEnd>(&mut all);
    add::<Ended>(&mut all);
    add::<Tombstone>(&mut all);
    add::<Me>(&mut all);
    add::<SignIn>(&mut all);
    add::<Member>(&mut all);
    add::<NewMember>(&mut all);
    add::<MemberList>(&mut all);
    add::<MemberRole>(&mut all);
    add::<AuditEntry>(&mut all);
    add::<AuditPage>(&mut all);
    all
}

fn add<T: ToSchema>(all: &mut Vec<(String, RefOr<Schema>)>) {
    all.push((T::name().into_owned(), T::schema()));
    T::schemas(all);
}
