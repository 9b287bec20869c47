// libsign — one include for the whole public API.
#pragma once
#include "libsign/catalog.hpp"
#include "libsign/cms.hpp"
#include "libsign/error.hpp"
#include "libsign/inspect.hpp"
#include "libsign/recover.hpp"
#include "libsign/report.hpp"
#include "libsign/sign.hpp"
#include "libsign/verify.hpp"
#include "libsign/version.hpp"
#include "libsign/xml.hpp"
