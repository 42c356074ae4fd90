import DealerCore
import Logging
import ServiceLifecycle
import UnixSignals

/// `kill -HUP` reloads the accreditation profiles, as operators expect of a daemon; a broken file
/// leaves the profiles in force and is logged with the file and the criterion at fault.
struct ProfileReloadOnHangup: Service {
    let profiles: ProfileLibrary
    let logger: Logger

    func run() async throws {
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        for await _ in hangups.cancelOnGracefulShutdown() {
            ProfileReloadLog.record(profiles.reload(), trigger: "SIGHUP", logger: logger)
        }
    }
}

enum ProfileReloadLog {
    static func record(_ reload: ProfileLibrary.Reload, trigger: String, logger: Logger) {
        let inForce = reload.profiles.map { "\($0.name) \($0.version)" }.joined(separator: ", ")
        if let refusal = reload.refusal {
            logger.error(
                "profiles not reloaded; keeping those in force",
                metadata: ["trigger": .string(trigger), "in_force": .string(inForce), "reason": .string(refusal)])
        } else {
            logger.notice("profiles reloaded", metadata: ["trigger": .string(trigger), "in_force": .string(inForce)])
        }
    }
}
