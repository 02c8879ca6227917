package bot

import "strconv"

// deptLabel prints a contact's department in the audit log of refused
// requests: its id, or "none" for a coordinator or an unbound user.
func deptLabel(id *uint) string {
	if id == nil {
		return "none"
	}
	return strconv.FormatUint(uint64(*id), 10)
}
