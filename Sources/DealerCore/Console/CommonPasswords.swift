/// Passwords people reach for first, long enough to pass the length rule: from the public lists of
/// leaked passwords, with the Russian keyboard's favourites (typed in either layout). Compared
/// lower-cased.
enum CommonPasswords {
    static func contains(_ folded: String) -> Bool { list.contains(folded) || isRun(folded) }

    /// `1234567890`, `0987654321`, `abcdefghij`: a run of consecutive characters either way.
    private static func isRun(_ text: String) -> Bool {
        let scalars = text.unicodeScalars.map(\.value)
        guard scalars.count >= 2 else { return false }
        let steps = Set(zip(scalars, scalars.dropFirst()).map { Int64($1) - Int64($0) })
        return steps == [1] || steps == [-1]
    }

    private static let list: Set<String> = [
        "1234567890", "0987654321", "9876543210", "12345678910", "123456789a", "123456789q", "1234567890q", "1234567891", "1111111111", "0000000000",
        "1234512345", "1122334455", "1212121212", "1q2w3e4r5t", "1q2w3e4r5t6y", "q1w2e3r4t5", "1qaz2wsx3edc", "zaq12wsx",
        "qwertyuiop", "qwerty1234", "qwerty12345", "qwerty123456", "qwertyuiop123", "asdfghjkl1", "asdfghjkl;", "zxcvbnm123",
        "password12", "password123", "password1234", "password!1", "passw0rd123", "p@ssw0rd123", "p@ssword123", "iloveyou12",
        "iloveyou123", "sunshine123", "princess123", "football123", "baseball123", "superman123", "starwars123", "welcome123",
        "welcome1234", "letmein1234", "trustno1234", "dragon1234", "monkey12345", "master12345", "shadow12345", "michael123",
        "admin12345", "administrator", "admin123456", "changeme123", "qazwsxedcrfv", "1qazxsw23edc", "abc1234567", "abcd123456",
        "parol12345", "parol123456", "parolparol", "gfhjkm1234", "gfhjkmgfhjkm", "qwertyqwerty", "1q2w3e4r5t6y7u", "ytrewq1234",
        "пароль1234", "пароль12345", "парольпароль", "йцукенгшщз", "йцукенгшщзхъ", "фывапролдж", "ячсмитьбю", "1234йцукен",
        "qwerty2024", "qwerty2025", "qwerty2026", "password2024", "password2025", "password2026", "dealerd123", "dealer12345",
        "moscow2026", "moskva1234", "rossiya123", "russia1234", "natasha123", "vladimir123", "aleksandr1", "svetlana123",
    ]
}
