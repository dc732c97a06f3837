package postal

// The data file is gzip over a stream of unsigned varints and strings
// (a string is its byte length as a varint, then the bytes), laid out in
// columns because columns of like numbers compress far better:
//
//	magic "AKPOST1\n"
//	cities:   n, then n × (prefecture code, name)
//	towns:    n, then n × name, in order of first use
//	codes:    n, then n × (code − previous code)
//	counts:   n × number of addresses of the code
//	city ids: one per address
//	town ids: one per address: 0 = the next town not used before, k = town k−1
//	prefixes: n, then n × (5-digit prefix, number of addresses,
//	          addresses × (city id, town id as above))
//
// A prefix entry answers every code under it that has no entry of its own:
// Japan Post numbers the floors of a high-rise building with the last two
// digits, and the source keeps only the building's name for the prefix.
const magic = "AKPOST1\n"
