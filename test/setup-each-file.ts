import { printLogsOnFailure } from './support/recent-log.js'

printLogsOnFailure()
