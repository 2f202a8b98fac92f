// Action entry (runs.main → dist/index.js): runs the action; everything else is in main.ts.
import { run } from './main.js'

void run()
