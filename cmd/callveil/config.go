package main

import "errors"

// ConfigCmd is a placeholder until its issue lands.
type ConfigCmd struct{}

// Run is a placeholder.
func (c *ConfigCmd) Run() error { return errors.New("not built yet") }
