/**
 * BEGIN, COMMIT/END, ROLLBACK [TO], SAVEPOINT and RELEASE as Programs that
 * act on the connection's TransactionControl when executed.
 */
import type { BeginStmt, CommitStmt, ReleaseStmt, RollbackStmt, SavepointStmt } from '../sql/ast.js';
import { EMPTY_RUN, type Program } from '../exec/program.js';
import type { TransactionControl } from '../exec/transaction-control.js';

type TransactionStatement = BeginStmt | CommitStmt | RollbackStmt | SavepointStmt | ReleaseStmt;

export function transactionProgram(stmt: TransactionStatement, transactions: TransactionControl): Program {
  const act = action(stmt, transactions);
  return {
    access: 'control',
    reader: false,
    readonly: stmt.kind !== 'Begin' || stmt.mode === null || stmt.mode === 'DEFERRED',
    columns: [],
    schema: null,
    start: () => {
      act();
      return EMPTY_RUN;
    },
  };
}

function action(stmt: TransactionStatement, transactions: TransactionControl): () => void {
  switch (stmt.kind) {
    case 'Begin': {
      const mode = stmt.mode;
      return () => transactions.begin(mode);
    }
    case 'Commit':
      return () => transactions.commit();
    case 'Rollback': {
      const savepoint = stmt.savepoint;
      if (savepoint === null) return () => transactions.rollback();
      return () => transactions.rollbackTo(savepoint.name);
    }
    case 'Savepoint': {
      const name = stmt.name.name;
      return () => transactions.savepoint(name);
    }
    case 'Release': {
      const name = stmt.name.name;
      return () => transactions.release(name);
    }
  }
}
