//! Output helpers shared by subcommands (atomic writes, JSON rendering).
