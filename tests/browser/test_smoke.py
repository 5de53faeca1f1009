"""The first screens in a real browser: login, the language switch and a refused login."""

from __future__ import annotations

from tests.browser.conftest import PASSWORD, log_in


def test_login_lands_on_the_home_page_in_indonesian_and_switches_to_english(page, live, screens):
    page.goto(f"{live.url}/masuk")
    screens.shoot(page, "masuk")
    log_in(page, live, "ani")
    assert page.locator("h1").first.inner_text() != ""
    assert "Penilaian saya" in page.content()
    screens.shoot(page, "beranda")
    with page.expect_navigation():
        page.click("form.lang button[value=en]")
    assert "My appraisals" in page.content()
    screens.shoot(page, "home-en")


def test_a_wrong_password_says_so_without_naming_which_part_was_wrong(page, live, screens):
    page.goto(f"{live.url}/masuk")
    page.fill("input[name=username]", "ani")
    page.fill("input[name=password]", PASSWORD + "x")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    alert = page.locator("[role=alert]").inner_text()
    assert alert and "ani" not in alert
    screens.shoot(page, "masuk-gagal")


def test_a_browser_asking_for_english_gets_english(browser, live):
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    page.goto(f"{live.url}/masuk")
    assert page.locator("html").get_attribute("lang") == "en"
    context.close()
