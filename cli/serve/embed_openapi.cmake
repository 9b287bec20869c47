# Writes a C++ source holding openapi.json as a string. Input: IN (the JSON), OUT (the .cpp).
file(READ ${IN} text)
file(WRITE ${OUT} "// Generated from cli/serve/openapi.json by embed_openapi.cmake: do not edit.\nnamespace libsign::serve {\nextern const char kOpenApiJson[] = R\"OPENAPI(${text})OPENAPI\";\n}\n")
