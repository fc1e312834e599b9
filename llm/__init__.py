"""question -> SQL with a local model. The proxy's entry points:

    translator = Translator(LLMConfig(...))                   # one per process (holds model, cache, examples)
    t = translator.translate(question, context, run, check=check, conversation=conv)
    t.sql, t.rows (None on a cache hit: run t.sql), t.candidates, t.timings, t.cached
    translator.teach(question, sql, check=check, run=run)     # CALL askgres.teach(...)
    translator.warm(context)                                  # optional: evaluate the schema prefix ahead

run(sql) -> pa.Table executes Postgres-dialect SQL on the engine; check(sql) -> exp.Expr is the
guard's read-only policy (raise to refuse). Errors are LLMError subclasses carrying `sqlstate`.
"""

from .config import LLMConfig
from .errors import LLMError
from .examples import Example, ExampleStore
from .schema import Column, ForeignKey, SchemaContext, Table
from .translate import Candidate, Conversation, Translation, Translator, configure, translate

__all__ = ["LLMConfig", "LLMError", "Example", "ExampleStore", "Column", "ForeignKey", "SchemaContext", "Table",
           "Candidate", "Conversation", "Translation", "Translator", "configure", "translate"]
