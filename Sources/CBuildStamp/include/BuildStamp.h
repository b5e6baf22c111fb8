#ifndef CLASSROOMFLEET_BUILD_STAMP_H
#define CLASSROOMFLEET_BUILD_STAMP_H

/// The version of this build: "0.1.0" as compiled, or the Debian package's version when
/// Deploy/debian/build-packages has stamped it into the binary (it rewrites the bytes after the
/// marker "CLASSROOMFLEET-VERSION:" in place; at most 56 characters).
const char *classroomfleet_build_version(void);

#endif
