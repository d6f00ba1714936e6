"""The service layer: the only code that speaks HTTP to the Telnyx Messaging API v2.

Modules: `http` (session, retries, typed errors, logging, timing), `pages` (Page and walking all
pages), `profiles`, `short_codes`, `health`, `errors`, `timing`. Import the module you need; this
package imports nothing so that `errors` and `timing` stay cheap to load.
"""
