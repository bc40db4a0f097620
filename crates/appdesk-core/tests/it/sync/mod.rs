//! Sync's client side without the network: the three-way merge (pure), and
//! what the store keeps for sync (remotes, outbox).

mod conflicts;
mod connections;
mod in_effect;
mod merge;
mod outbox;
mod pull;
mod remotes;
mod replay;
