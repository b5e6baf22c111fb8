#include "BuildStamp.h"

// A fixed-size field that a packaging step can rewrite in the finished binary (same length, NUL
// padded), so a package's version is the version the program reports without a rebuild.
__attribute__((used)) const char classroomfleet_build_stamp[80] = "CLASSROOMFLEET-VERSION:0.1.0";

const char *classroomfleet_build_version(void) {
    // Read through a volatile pointer so that no compiler folds the compiled-in text into the caller.
    const char *volatile stamp = classroomfleet_build_stamp;
    return stamp + sizeof("CLASSROOMFLEET-VERSION:") - 1;
}
