/**
 * worker_thread for the shared-coordination tests: opens the coordination of
 * `workerData.databasePath`, tries the writer lock, reports the result and
 * its owner record, and closes.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SharedCoordination } from '../../src/coord/shared/shared-coordination.js';

const coordination = SharedCoordination.open({ databasePath: (workerData as { databasePath: string }).databasePath });
parentPort!.postMessage({ gotWriter: coordination.tryLockWriter(), owner: coordination.ownerRecord, mode: coordination.openMode });
coordination.close();
