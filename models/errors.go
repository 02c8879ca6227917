package models

import (
	"errors"

	"gorm.io/gorm"
)

// ErrNotFound means the row asked for does not exist.
var ErrNotFound = errors.New("not found")

// ErrConflict means a unique key is already taken (a used invite, a
// duplicate update, a report already saved under the same key).
var ErrConflict = errors.New("conflict")

// translate maps gorm's errors to the store's sentinels so callers never
// import gorm.
func translate(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gorm.ErrRecordNotFound):
		return ErrNotFound
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return errors.Join(ErrConflict, err)
	}
	return err
}
