package main

import "errors"

// ForgetCmd is a placeholder until its issue lands.
type ForgetCmd struct{}

// Run is a placeholder.
func (c *ForgetCmd) Run() error { return errors.New("not built yet") }
