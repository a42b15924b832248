"""placeholder"""
OPENAPI_PATHS = {}
