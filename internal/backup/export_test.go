package backup

// Tests seal with 8 MiB instead of 64: the format records the memory, so
// the code path is the same, at an eighth of the cost under -race.
func init() { kdfMemory = 8 * 1024 }
