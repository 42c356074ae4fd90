import DealerStore
import Logging

/// Says at start what an operator must do about the stored secrets: seal plain ones, re-seal those
/// under an old key, or give back the key that opens the rest. Never stops the start.
enum SecretsStartupCheck {
    static func log(store: Store, logger: Logger) async {
        let report: StoredSecretsReport
        do { report = try await store.storedSecretsReport() } catch {
            logger.warning("could not read the stored secrets to check their sealing", metadata: ["error": .string("\(error)")])
            return
        }
        if report.unreadable > 0 {
            logger.error(
                "webhook secrets are sealed under a key this process lacks: their endpoints are not sent to until DEALERD_SECRETS_KEY or DEALERD_SECRETS_KEY_PREVIOUS holds it",
                metadata: ["secrets": .stringConvertible(report.unreadable)])
        }
        if store.secrets.current == nil {
            if report.plain > 0 {
                logger.warning(
                    "webhook secrets are stored in plain text: set DEALERD_SECRETS_KEY (dealerd secrets generate-key) and run dealerd secrets rotate",
                    metadata: ["secrets": .stringConvertible(report.plain)])
            }
        } else if report.plain + report.sealedPrevious > 0 {
            logger.warning(
                "some webhook secrets are not yet sealed under DEALERD_SECRETS_KEY: run dealerd secrets rotate",
                metadata: ["secrets": .stringConvertible(report.plain + report.sealedPrevious)])
        }
    }
}
