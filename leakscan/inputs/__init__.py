"""The reading wing of leakscan: one module per dump format that is not plain delimited text.

Each module turns one kind of file into values the stager (``leakscan.readers``) applies to
its ``Input``: a reader never writes into an ``Input`` itself. What they produce is UTF-8 CSV
in the scan's temporary directory, read by DuckDB like any delimited file, so one reader does
all the counting.

- ``sqldump``: mysqldump / pg_dump / generic ``INSERT`` files, streamed; one input per table.
- ``sqlite``: SQLite database files, through the standard library; one input per table.
- ``nested``: JSON documents flattened to dotted columns (MongoDB extended JSON understood).
- ``credentials``: ``account:password`` lists, read without their password column.
- ``unpack``: tar (and its compressed forms), bzip2, xz and 7z archives, nested to a bound.
- ``spool``: standard input and other special files, copied once and hashed as read.
- ``quoting``: recovery of a CSV whose stray quote swallowed the lines after it.

The existing modules (``sources``, ``readers``, ``archives``, ``encodings``, ``spreadsheets``)
stay where they are for now; moving them here is left for a later change.
"""
