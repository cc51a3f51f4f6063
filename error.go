// Package rhythm holds the types shared by every layer of rhythm: the error
// type with its codes. Domain logic lives in the sub-packages.
package rhythm

import (
	"errors"
	"fmt"
	"net/http"
)

// Error codes. Each maps to one HTTP status and one CLI exit code.
const (
	EINVALID      = "invalid"
	ENOTFOUND     = "not_found"
	ECONFLICT     = "conflict"
	EUNAUTHORIZED = "unauthorized"
	EFORBIDDEN    = "forbidden"
	ETOOLARGE     = "too_large"
	ETOOMANY      = "too_many_requests"
	EUNAVAILABLE  = "unavailable"
	EINTERNAL     = "internal"
)

// Error is an error a user may see: a code and a message written for people.
// Errors that are not *Error are internal and never shown to users.
type Error struct {
	Code    string
	Message string
}

// Error implements the error interface.
func (e *Error) Error() string { return e.Message }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for
// any other error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of err: the message of its
// *Error, or a generic text for internal errors.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}

// HTTPStatus maps an error code to its HTTP status: the one mapping the
// API, the pages and the Slack endpoints answer with.
func HTTPStatus(code string) int {
	switch code {
	case EINVALID:
		return http.StatusBadRequest
	case ENOTFOUND:
		return http.StatusNotFound
	case ECONFLICT:
		return http.StatusConflict
	case EUNAUTHORIZED:
		return http.StatusUnauthorized
	case EFORBIDDEN:
		return http.StatusForbidden
	case ETOOLARGE:
		return http.StatusRequestEntityTooLarge
	case ETOOMANY:
		return http.StatusTooManyRequests
	case EUNAVAILABLE:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}
