//! Interactive input: passphrases, mnemonics and confirmations.
//!
//! Scripts pipe answers on stdin, one per line, in the order the command asks
//! for them (documented in cli/README.md); people at a terminal get prompts
//! on stderr, with passphrases read without echo.

use std::io::{BufRead, IsTerminal, Write};

use zeroize::Zeroizing;

use crate::error::{CliError, Result};

/// Environment variable that supplies the `file` keyring passphrase.
pub const PASSPHRASE_ENV: &str = "VENICE_KEYRING_PASSPHRASE";
/// Minimum length of a new keyring passphrase (the Cosmos SDK's rule).
pub const MIN_PASSPHRASE_LEN: usize = 8;

pub fn stdin_is_tty() -> bool {
    std::io::stdin().is_terminal()
}

/// One line from stdin without its line ending; EOF is an error naming `what`.
pub fn read_stdin_line(what: &str) -> Result<Zeroizing<String>> {
    let mut line = Zeroizing::new(String::new());
    let n = std::io::stdin().lock().read_line(&mut line).map_err(|e| CliError::io(format!("reading {what} from stdin"), e))?;
    if n == 0 {
        return Err(CliError::io(
            format!("reading {what} from stdin"),
            std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "end of input"),
        ));
    }
    let trimmed = line.trim_end_matches(['\n', '\r']).to_string();
    Ok(Zeroizing::new(trimmed))
}

fn prompt(text: &str) {
    let mut err = std::io::stderr();
    let _ = write!(err, "{text}");
    let _ = err.flush();
}

/// The keyring passphrase: `$VENICE_KEYRING_PASSPHRASE`, else a line of stdin
/// when stdin is not a terminal, else a prompt (asked twice for a new one).
pub fn passphrase(new: bool) -> Result<Zeroizing<String>> {
    let pass = if let Ok(p) = std::env::var(PASSPHRASE_ENV) {
        Zeroizing::new(p)
    } else if !stdin_is_tty() {
        read_stdin_line("keyring passphrase")?
    } else {
        let read = |text: &str| rpassword::prompt_password(text).map(Zeroizing::new).map_err(|e| CliError::io("reading passphrase", e));
        if new {
            let first = read("Enter keyring passphrase (at least 8 characters): ")?;
            let again = read("Re-enter keyring passphrase: ")?;
            if *first != *again {
                return Err(CliError::BadFlag { flag: "passphrase", reason: "the two passphrases differ".into() });
            }
            first
        } else {
            read("Enter keyring passphrase: ")?
        }
    };
    if new && pass.chars().count() < MIN_PASSPHRASE_LEN {
        return Err(CliError::BadFlag {
            flag: "passphrase",
            reason: format!("a new keyring passphrase needs at least {MIN_PASSPHRASE_LEN} characters"),
        });
    }
    Ok(pass)
}

/// A BIP-39 mnemonic: one line of stdin (prompted for at a terminal).
pub fn mnemonic() -> Result<Zeroizing<String>> {
    if stdin_is_tty() {
        prompt("Enter your bip39 mnemonic: ");
    }
    read_stdin_line("mnemonic")
}

/// Asks `question [y/N]`; the answer is a line of stdin (so a script can pipe
/// `y`); anything but y/yes declines. `--yes` skips the call entirely.
pub fn confirm(question: &str) -> Result<bool> {
    prompt(&format!("{question} [y/N]: "));
    let answer = match read_stdin_line("confirmation") {
        Ok(a) => a,
        // No input at all counts as "no", not as an I/O failure.
        Err(CliError::Io { source, .. }) if source.kind() == std::io::ErrorKind::UnexpectedEof => {
            if !stdin_is_tty() {
                prompt("\n");
            }
            return Ok(false);
        }
        Err(e) => return Err(e),
    };
    if !stdin_is_tty() {
        prompt("\n"); // the piped answer is not echoed
    }
    Ok(matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes"))
}
