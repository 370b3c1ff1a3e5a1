#!/usr/bin/env node
// The `shoal-slt` sqllogictest runner; the implementation is compiled from src/cli/slt-main.ts.
import '../dist/src/cli/slt-main.js';
