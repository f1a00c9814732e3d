"""The wire contract shared by server and client: models, frames, errors, IDs and UserSig.

Pure: nothing here performs I/O.
"""
