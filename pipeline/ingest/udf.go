package ingest

import (
	"database/sql"
	"fmt"

	"bluebook/duck"
)

// usccFunc is the name of the scalar function registered by registerFunctions.
const usccFunc = "bluebook_uscc_check"

// The results of usccCheck.
const (
	usccOK       = 0 // 18 characters of the alphabet, digits in 3-8, right check character
	usccBadForm  = 1 // rejected as bad_uscc
	usccBadCheck = 2 // loaded, flagged uscc_valid = false
)

// usccAlphabet is the GB 32100 alphabet of credit codes (docs/domain.md), in value order.
const usccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// usccValues maps a byte to its value in usccAlphabet, −1 outside it.
var usccValues = func() (v [256]int8) {
	for i := range v {
		v[i] = -1
	}
	for i := 0; i < len(usccAlphabet); i++ {
		v[usccAlphabet[i]] = int8(i)
	}
	return v
}()

// usccWeights are the GB 32100 weights of the first 17 characters: 3^(i−1) mod 31.
var usccWeights = func() (w [17]int) {
	w[0] = 1
	for i := 1; i < 17; i++ {
		w[i] = w[i-1] * 3 % 31
	}
	return w
}()

// usccCheck classifies a credit code (docs/domain.md; bad_uscc in docs/sources.md): usccBadForm
// unless it is 18 characters of the alphabet with digits in places 3-8, else usccBadCheck
// unless the 18th is the check character of the first 17, 31 − (Σ wᵢ·vᵢ mod 31).
func usccCheck(code string) int32 {
	if len(code) != 18 {
		return usccBadForm
	}
	sum := 0
	for i := 0; i < 18; i++ {
		v := usccValues[code[i]]
		if v < 0 || i >= 2 && i < 8 && v > 9 {
			return usccBadForm
		}
		if i < 17 {
			sum += int(v) * usccWeights[i]
		}
	}
	if usccAlphabet[(31-sum%31)%31] != code[17] {
		return usccBadCheck
	}
	return usccOK
}

// registerFunctions registers the scalar functions the rules use on the database of conn
// (registering again replaces them).
func registerFunctions(conn *sql.Conn) error {
	// bluebook_uscc_check(code VARCHAR) → INTEGER (NULL for NULL): usccCheck in Go, in
	// place of a regular expression for the form and 17 weighted terms in SQL for the
	// check character, which cost several times more.
	if err := duck.RegisterTextFunc(conn, usccFunc, duck.Integer, func(s string) any { return usccCheck(s) }); err != nil {
		return fmt.Errorf("ingest: %w", err)
	}
	// bluebook_mask(text VARCHAR) → VARCHAR (NULL for NULL): maskText.
	if err := duck.RegisterTextFunc(conn, maskFunc, duck.Varchar, func(s string) any { return maskText(s) }); err != nil {
		return fmt.Errorf("ingest: %w", err)
	}
	return nil
}
