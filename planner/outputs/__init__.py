"""What leaves the product for people: calendar feeds and letters to citizens."""
