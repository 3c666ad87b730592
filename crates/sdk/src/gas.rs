//! Gas metering: every store access and every tx byte costs gas, with the
//! Cosmos SDK's default KV costs so that gas estimates look familiar.

use crate::error::{Error, Result};

/// Costs of store operations (Cosmos SDK `KVGasConfig` defaults).
#[derive(Clone, Copy, Debug)]
pub struct GasCosts {
    pub has: u64,
    pub read_flat: u64,
    pub read_per_byte: u64,
    pub write_flat: u64,
    pub write_per_byte: u64,
    pub delete: u64,
    pub iter_next_flat: u64,
}

pub const KV_GAS: GasCosts =
    GasCosts { has: 1000, read_flat: 1000, read_per_byte: 3, write_flat: 2000, write_per_byte: 30, delete: 1000, iter_next_flat: 30 };

/// A gas meter with a limit; `u64::MAX` for the unmetered contexts of
/// genesis, queries and block hooks.
#[derive(Clone, Debug)]
pub struct GasMeter {
    limit: u64,
    used: u64,
}

impl GasMeter {
    pub fn new(limit: u64) -> Self {
        GasMeter { limit, used: 0 }
    }
    pub fn infinite() -> Self {
        GasMeter::new(u64::MAX)
    }
    pub fn limit(&self) -> u64 {
        self.limit
    }
    pub fn used(&self) -> u64 {
        self.used
    }
    /// Charge `amount`; going past the limit is an out-of-gas error and the
    /// meter stays at the limit, as the SDK reports it.
    pub fn consume(&mut self, amount: u64, location: &str) -> Result<()> {
        let next = self.used.saturating_add(amount);
        if next > self.limit || self.used.checked_add(amount).is_none() {
            self.used = self.limit;
            return Err(Error::OutOfGas { location: location.to_string(), limit: self.limit, used: next });
        }
        self.used = next;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consume_up_to_limit_then_out_of_gas() {
        let mut g = GasMeter::new(100);
        g.consume(60, "a").unwrap();
        g.consume(40, "b").unwrap();
        assert_eq!(g.used(), 100);
        let e = g.consume(1, "c").unwrap_err();
        assert!(e.is_out_of_gas());
        assert_eq!(e.abci_code(), ("sdk", 11));
        assert_eq!(g.used(), 100);
    }

    #[test]
    fn infinite_meter_never_overflows() {
        let mut g = GasMeter::infinite();
        g.consume(u64::MAX - 1, "x").unwrap();
        assert!(g.consume(5, "y").is_err());
    }
}
