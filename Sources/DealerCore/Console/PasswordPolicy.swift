import Foundation

/// What a console password must be. People choose it themselves from the link they were sent, so
/// the refusal is in Russian and says how to do better.
public struct PasswordPolicy: Sendable, Equatable {
    /// Shorter passwords fall to an offline guess against a stolen hash in hours.
    public var minimumLength: Int
    /// bcrypt reads only the first 72 bytes: a longer password would be silently cut.
    public static let maximumBytes = 72

    public init(minimumLength: Int = 10) {
        self.minimumLength = minimumLength
    }

    /// Why `password` is refused for the person with this e-mail and name, or nil when it will do.
    public func refusal(of password: String, email: String, name: String) -> String? {
        if password.count < minimumLength {
            return "Пароль должен быть не короче \(RussianText.plural(minimumLength, "символа", "символов", "символов"))."
        }
        if password.utf8.count > Self.maximumBytes {
            return "Пароль слишком длинный: не больше \(Self.maximumBytes) байт (около 36 русских букв)."
        }
        if password.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return "В пароле не должно быть управляющих символов."
        }
        let folded = password.lowercased()
        if CommonPasswords.contains(folded) || Set(folded).count <= 2 {
            return "Этот пароль слишком распространён, его подберут первым. Выберите другой."
        }
        let local = email.lowercased().split(separator: "@").first.map(String.init) ?? ""
        if (local.count >= 4 && folded.contains(local)) || folded == name.lowercased() {
            return "Пароль не должен повторять адрес почты или имя."
        }
        return nil
    }
}
