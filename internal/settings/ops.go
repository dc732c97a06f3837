package settings

import (
	"context"
	"strconv"
)

// CSVUploadMaxMB is the largest catalogue CSV file an admin may upload,
// in MB (MiB); the admin's CSV page edits it.
const CSVUploadMaxMB = "catalog.csv_max_mb"

// CSV upload limits: the default and the range an operator may choose.
const (
	CSVUploadDefaultMB = 32
	CSVUploadMinMB     = 1
	CSVUploadMaxMBCap  = 256
)

// CSVUploadLimit returns the CSV upload limit in bytes: the stored
// setting, or the default when it is unset or out of range.
func (s *Store) CSVUploadLimit(ctx context.Context) (int64, error) {
	v, err := s.Get(ctx, CSVUploadMaxMB)
	mb, perr := strconv.Atoi(v)
	if perr != nil || mb < CSVUploadMinMB || mb > CSVUploadMaxMBCap {
		mb = CSVUploadDefaultMB
	}
	return int64(mb) << 20, err
}
