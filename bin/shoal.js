#!/usr/bin/env node
// The `shoal` shell; the implementation is compiled from src/cli/main.ts.
import '../dist/src/cli/main.js';
