"""Record: byte-preserving, validated edits that commands make to a ledger file."""
