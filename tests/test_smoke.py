import pytest


@pytest.mark.django_db
def test_home_page_renders_without_an_edition(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "科技活动周" in response.content.decode()
