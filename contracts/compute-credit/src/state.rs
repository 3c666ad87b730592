use cosmwasm_std::Addr;
use cw_storage_plus::Item;

/// Who may set the minter policy and hand over the admin role. `None` once
/// renounced: the policy is then frozen (the minter itself may still hand over
/// or drop its role, as in cw20-base).
pub const ADMIN: Item<Option<Addr>> = Item::new("venice_admin");
