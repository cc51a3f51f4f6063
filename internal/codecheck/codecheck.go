// Package codecheck holds checks of rhythm's own source that go vet does
// not make, run as tests: see funclen_test.go.
package codecheck
