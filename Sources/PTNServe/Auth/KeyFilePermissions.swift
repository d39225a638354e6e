import Foundation
import Logging

/// Checks who else may read the key file: keys in clear there are as good as published to every local user.
enum KeyFilePermissions {
    /// Logs a warning when the file is readable by its group or by others.
    static func warnIfExposed(_ path: String, logger: Logger) {
        guard let mode = exposedMode(path) else { return }
        logger.warning(
            "the key file is readable by other users; restrict it with chmod 600",
            // The mode only: paths stay out of logs (the operator knows which key file they passed).
            metadata: ["mode": "\(String(mode, radix: 8))"]
        )
    }

    /// The permission bits when group or others may read the file, else nil.
    static func exposedMode(_ path: String) -> Int? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue
        else { return nil }
        return mode & 0o044 != 0 ? mode & 0o777 : nil
    }
}
