"""A person's walk through dealerd's console in a real browser (Debian's chromium, headless, driven
by Selenium), against the real binary. ConsoleBrowserTests starts the server, makes the accounts
with `dealerd user create`, reads the API's figures and passes everything here in a JSON file:

    python console_walk.py spec.json

It fails (exit 1, the reason on stderr) when a page shows other numbers than the API, a form error
is not by its field, a dealer reaches what is not its own, or axe-core finds a serious or critical
accessibility violation. Screenshots of every page type, at desktop and at phone width, go to the
spec's artifacts folder.
"""

import json
import os
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

try:
    from axe_selenium_python import Axe
except ImportError:  # the test says whether it is required
    Axe = None

NBSP = "\u00a0"


def plain(text):
    return text.replace(NBSP, " ").strip()


class Walk:
    def __init__(self, spec):
        self.spec = spec
        self.base = spec["base"]
        self.artifacts = spec["artifacts"]
        os.makedirs(self.artifacts, exist_ok=True)
        options = webdriver.ChromeOptions()
        options.binary_location = spec.get("chromium", "/usr/bin/chromium")
        for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--lang=ru-RU",
                         "--window-size=1280,900", "--hide-scrollbars"):
            options.add_argument(argument)
        service = Service(executable_path=spec.get("chromedriver", "/usr/bin/chromedriver"))
        self.driver = webdriver.Chrome(service=service, options=options)
        self.driver.set_page_load_timeout(30)
        self.wait = WebDriverWait(self.driver, 15)
        self.checked_pages = set()

    def open(self, path):
        self.driver.get(self.base + path)

    def text(self, css):
        return plain(self.driver.find_element(By.CSS_SELECTOR, css).text)

    def expect(self, condition, message):
        if not condition:
            raise AssertionError(message + " (at " + self.driver.current_url + ")")

    def path(self):
        url = self.driver.current_url
        return url[len(self.base):] if url.startswith(self.base) else url

    def look(self, name, fits_phone=True):
        """Screenshots at desktop and phone width, and axe-core on the page (once per page type).
        A printed document (the act) keeps its A4 layout: a phone shows it zoomed out."""
        prefix = self.spec["backend"] + "-" + name
        self.driver.set_window_size(1280, 900)
        height = self.driver.execute_script("return document.documentElement.scrollHeight")
        self.driver.set_window_size(1280, min(max(height, 600), 4000))
        self.driver.save_screenshot(os.path.join(self.artifacts, prefix + "-desktop.png"))
        self.driver.set_window_size(390, 844)
        height = self.driver.execute_script("return document.documentElement.scrollHeight")
        self.driver.set_window_size(390, min(max(height, 844), 6000))
        overflow = self.driver.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
        self.driver.save_screenshot(os.path.join(self.artifacts, prefix + "-phone.png"))
        self.expect(not fits_phone or overflow <= 1, name + ": at phone width the page is wider than the screen by %s px" % overflow)
        self.driver.set_window_size(1280, 900)
        if name in self.checked_pages:
            return
        self.checked_pages.add(name)
        if Axe is None:
            if self.spec.get("require_axe"):
                raise AssertionError("axe-selenium-python is not installed")
            return
        axe = Axe(self.driver)
        axe.inject()
        results = axe.run()
        bad = [v for v in results["violations"] if v.get("impact") in ("serious", "critical")]
        with open(os.path.join(self.artifacts, prefix + "-axe.json"), "w", encoding="utf-8") as report:
            json.dump(results["violations"], report, ensure_ascii=False, indent=1)
        self.expect(not bad, name + ": axe-core found " + "; ".join(
            "%s (%s): %s" % (v["id"], v["impact"], ", ".join(n["target"][0] for n in v["nodes"][:3])) for v in bad))

    def set_password(self, link, password):
        self.driver.get(link)
        self.wait.until(EC.presence_of_element_located((By.ID, "password")))
        self.driver.find_element(By.ID, "password").send_keys(password)
        self.driver.find_element(By.ID, "repeat").send_keys(password)
        self.driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()

    def sign_in(self, email, password):
        self.open("/sign-in")
        self.driver.find_element(By.ID, "email").send_keys(email)
        self.driver.find_element(By.ID, "password").send_keys(password)
        self.driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()

    def sign_out(self):
        self.driver.find_element(By.CSS_SELECTOR, "form[action='/sign-out'] button").click()
        self.wait.until(lambda d: "/sign-in" in d.current_url)

    def run(self):
        spec = self.spec
        expected = spec["expected"]
        # No session: every page sends to sign-in.
        self.open("/")
        self.expect(self.path().startswith("/sign-in"), "a page without a session did not send to sign-in")
        self.look("sign-in")

        # The head of sales follows the link the CLI printed; a weak password is refused by its field.
        self.set_password(spec["head"]["link"], "1234567890")
        error = self.wait.until(EC.presence_of_element_located((By.ID, "password-error")))
        self.expect("распространён" in error.text, "the weak password's error is not by the field: " + error.text)
        field = self.driver.find_element(By.ID, "password")
        self.expect(field.get_attribute("aria-invalid") == "true", "the password field is not marked invalid")
        self.expect("password-error" in (field.get_attribute("aria-describedby") or ""), "the error is not tied to its field")
        self.look("welcome-error")
        self.driver.find_element(By.ID, "password").clear()
        self.driver.find_element(By.ID, "repeat").clear()
        self.driver.find_element(By.ID, "password").send_keys(spec["head"]["password"])
        self.driver.find_element(By.ID, "repeat").send_keys(spec["head"]["password"])
        self.driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
        self.wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "[data-figure=breached]")))
        self.expect(self.path() == "/", "after setting the password the head of sales is not on the board")

        # The board's numbers are the API's.
        for currency, figures in expected["totals"].items():
            shown = self.text("[data-figure=balance-%s]" % currency)
            self.expect(shown == figures["balance"], "board balance %s, the API says %s" % (shown, figures["balance"]))
            shown = self.text("[data-figure=overdue-%s]" % currency)
            self.expect(shown == figures["overdue"], "board overdue %s, the API says %s" % (shown, figures["overdue"]))
        self.expect(self.text("[data-figure=breached]") == str(expected["breached"]), "breached dealers differ from the API")
        self.expect(self.text("[data-figure=status-accredited]") == str(expected["accredited"]), "accredited dealers differ")
        self.look("board")
        # A number links to the list behind it.
        self.driver.find_element(By.CSS_SELECTOR, "[data-figure=balance-RUB] a").click()
        self.wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "[data-figure=total-balance]")))
        self.expect(self.text("[data-figure=total-balance]") == expected["ageing_total"], "the ageing total differs from the API")
        # Sorting by a column header is our own script, allowed by the page's nonce.
        header = self.driver.find_element(By.CSS_SELECTOR, "table.sortable thead th:nth-child(4)")
        header.click()
        self.wait.until(lambda d: header.get_attribute("aria-sort") == "ascending")
        self.look("ageing")
        # The dealer list, its search, and a dealer's card with the API's figures.
        self.open("/dealers")
        self.driver.find_element(By.ID, "q").send_keys("альфа")
        self.driver.find_element(By.CSS_SELECTOR, "form.filters button").click()
        self.wait.until(lambda d: "q=" in d.current_url)
        self.look("dealers")
        self.driver.find_element(By.LINK_TEXT, "Альфа Моторс").click()
        self.wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "[data-figure=balance]")))
        shown = self.text("[data-figure=balance]")
        self.expect(shown == spec["dealer"]["expected"]["balance"], "the card's balance %s differs from the API's" % shown)
        self.look("dealer")
        # An edit with an INN typo is refused by the field, and the card keeps its INN.
        self.driver.find_element(By.LINK_TEXT, "Изменить карточку").click()
        field = self.wait.until(EC.presence_of_element_located((By.ID, "tax_id")))
        original = field.get_attribute("value")
        field.clear()
        field.send_keys(original[:-1] + str((int(original[-1]) + 1) % 10))
        self.driver.find_element(By.CSS_SELECTOR, "form.form button[type=submit]").click()
        error = self.wait.until(EC.presence_of_element_located((By.ID, "tax_id-error")))
        self.expect("ИНН" in error.text, "the INN typo's error is not by its field: " + error.text)
        self.expect(self.driver.find_element(By.ID, "tax_id").get_attribute("aria-invalid") == "true", "the INN field is not marked")
        self.look("dealer-edit-error")
        self.sign_out()

        # A manager's desk: the bonus the API gives his scorecard.
        manager = spec["manager"]
        self.set_password(manager["link"], manager["password"])
        self.wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "[data-figure=breached]")))
        self.open("/desk")
        shown = self.text("[data-figure=bonus]")
        self.expect(shown == manager["bonus"], "the desk's bonus %s, the API says %s" % (shown, manager["bonus"]))
        # And her deals' funnel: what GET /v1/funnel says for her.
        for name in ("deals-in-work", "deals-won", "win-rate", "average-deal"):
            shown = self.text("[data-figure=%s]" % name)
            self.expect(shown == manager["funnel"][name], "the desk's %s %s, the API says %s" % (name, shown, manager["funnel"][name]))
        self.look("desk")
        self.sign_out()

        # Signing in again with the password: back on the board.
        self.sign_in(spec["head"]["email"], spec["head"]["password"])
        self.wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "[data-figure=breached]")))
        self.sign_out()

        # A wrong password is said so, on the sign-in page.
        self.sign_in(spec["head"]["email"], "совсем-не-тот-пароль")
        self.wait.until(EC.presence_of_element_located((By.ID, "sign-in-error")))
        self.expect("Неверная почта или пароль" in self.text("#sign-in-error"), "a wrong password was not refused")

        # The dealer: its own figures, its act confirmed from the cabinet.
        dealer = spec["dealer"]
        self.set_password(dealer["link"], dealer["password"])
        self.wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "[data-figure=balance]")))
        self.expect(self.path() == "/cabinet", "a dealer's home is not its cabinet")
        for name in ("balance", "limit", "available", "overdue"):
            shown = self.text("[data-figure=%s]" % name)
            self.expect(shown == dealer["expected"][name], "cabinet %s %s, the API says %s" % (name, shown, dealer["expected"][name]))
        self.look("cabinet")
        row = "tr[data-act='%s']" % dealer["act_number"]
        self.driver.find_element(By.CSS_SELECTOR, row + " button").click()
        self.wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".flash")))
        self.expect("Подтверждён" in self.text(row + " .act-status"), "the act is not shown confirmed")
        self.look("cabinet-confirmed")
        self.driver.find_element(By.CSS_SELECTOR, row + " a").click()
        self.wait.until(lambda d: "/cabinet/acts/" in d.current_url)
        self.expect("Акт сверки" in self.driver.page_source, "the act's printable page did not open")
        self.look("act", fits_phone=False)

        # Another dealer's act and the staff's pages do not exist for a dealer.
        for path in ("/cabinet/acts/" + dealer["other_act"], "/reports/ageing"):
            self.open(path)
            self.expect("Страница не найдена" in self.driver.page_source, "a dealer reached " + path)
        self.look("not-found")
        print("console walk: ok, %d page types checked" % len(self.checked_pages))


def main():
    with open(sys.argv[1], encoding="utf-8") as file:
        spec = json.load(file)
    walk = Walk(spec)
    try:
        walk.run()
    except Exception as error:  # noqa: BLE001 — every failure is reported the same way
        walk.driver.save_screenshot(os.path.join(walk.artifacts, spec["backend"] + "-failure.png"))
        print("console walk failed: %s" % error, file=sys.stderr)
        sys.exit(1)
    finally:
        walk.driver.quit()


if __name__ == "__main__":
    main()
